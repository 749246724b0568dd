/**
 * How strong the sandbox really is, judged from what a worker reports about itself from
 * inside (python/probe.py): an unprivileged uid in its own user namespace, no capabilities,
 * seccomp filtering, its own PID namespace, no network but loopback, and only the expected
 * mounts, writable only where jobs may write. The pool refuses to start a sandboxed worker
 * that fails any of these; `seig doctor` prints them.
 */
import type { SandboxReport } from "./protocol.ts";
import { JOB_MOUNT, SCRIPTS_MOUNT } from "./sandbox.ts";

export interface StrengthCheck {
  name: string;
  ok: boolean;
  detail: string;
}

const NO_CAPS = "0000000000000000";
/** Mounts a worker may see read-only (prefixes), and the few it may write to. */
const READ_ONLY_PREFIXES = ["/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32", "/lib", "/lib64"];
const READ_ONLY_EXACT = ["/", "/etc/ld.so.cache", "/etc/alternatives", "/usr/share/blender", SCRIPTS_MOUNT];
const WRITABLE = ["/proc", "/dev/shm", "/tmp", JOB_MOUNT, "/dev/pts"];
const DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"];

function mountProblems(report: SandboxReport, blenderDirs: string[]): string[] {
  const problems: string[] = [];
  for (const m of report.mounts) {
    if (m.path === "/dev" || m.path.startsWith("/proc/")) continue; // bwrap's own, read-only
    if (WRITABLE.includes(m.path) || DEVICES.includes(m.path)) continue;
    const known =
      READ_ONLY_EXACT.includes(m.path) ||
      blenderDirs.some((d) => m.path === d || m.path.startsWith(`${d}/`)) ||
      READ_ONLY_PREFIXES.some((p) => m.path === p);
    if (!known) problems.push(`unexpected mount ${m.path}`);
    else if (!m.readOnly) problems.push(`${m.path} is writable`);
  }
  return problems;
}

/** Every property the boundary relies on, each with what was found. */
export function assessSandbox(report: SandboxReport, blenderDirs: string[]): StrengthCheck[] {
  const mounts = mountProblems(report, blenderDirs);
  const extraNets = report.interfaces.filter((i) => i !== "lo");
  return [
    {
      name: "unprivileged uid",
      ok: report.uid !== 0,
      detail: `uid ${report.uid} inside its own user namespace`,
    },
    {
      name: "capabilities dropped",
      ok: report.capEff === NO_CAPS && report.capBnd === NO_CAPS,
      detail: `effective ${report.capEff}, bounding ${report.capBnd}`,
    },
    { name: "seccomp filter", ok: report.seccomp === 2, detail: `seccomp mode ${report.seccomp}` },
    { name: "no new privileges", ok: report.noNewPrivs, detail: report.noNewPrivs ? "set" : "not set" },
    { name: "own PID namespace", ok: report.pid <= 3, detail: `worker is pid ${report.pid}` },
    {
      name: "no network",
      ok: extraNets.length === 0,
      detail: extraNets.length ? `sees ${extraNets.join(", ")}` : "loopback only",
    },
    {
      name: "minimal mounts",
      ok: mounts.length === 0,
      detail: mounts.length
        ? mounts.join("; ")
        : `${report.mounts.length} mounts, writable only ${JOB_MOUNT}, /tmp, /dev/shm (sized)`,
    },
  ];
}

/** The failures as one line, or null when the sandbox is as strong as designed. */
export function weaknesses(checks: StrengthCheck[]): string | null {
  const failed = checks.filter((c) => !c.ok);
  return failed.length ? failed.map((c) => `${c.name}: ${c.detail}`).join("; ") : null;
}
