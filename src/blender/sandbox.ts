/**
 * The OS sandbox around a Blender worker — seig's security boundary (docs/security.md).
 * Every worker runs in bubblewrap with: its own user namespace and no capabilities (and,
 * when seig runs as root, as the unprivileged uid 65534 on the host too), no nested user
 * namespaces, its own PID/IPC/UTS/network/cgroup namespaces (no network at all), only the
 * read-only mounts of sandbox-mounts.ts, sized private tmpfs mounts for the job folder,
 * /tmp and /dev/shm, a seccomp filter (seccomp.ts), and rlimits on address space, open
 * files and core dumps (per-job CPU time, processes and file size are set by the worker
 * for each forked job, see python/isolate.py).
 */
import { execFile } from "node:child_process";
import { realpath } from "node:fs/promises";
import { promisify } from "node:util";
import { SeigError } from "../errors.ts";
import { readOnlyMounts } from "./sandbox-mounts.ts";

const run = promisify(execFile);

export type SandboxMode = "auto" | "bwrap" | "none";

/** The host uid/gid workers run as when seig itself runs as root ("nobody"). */
export const SANDBOX_UID = 65534;
/** Where the sandbox sees the job folder and the worker scripts. */
export const JOB_MOUNT = "/job";
export const SCRIPTS_MOUNT = "/seig";
/** bwrap reads the seccomp program from this descriptor (stdio slot 4 of the spawn). */
export const SECCOMP_FD = 4;
const MiB = 1024 ** 2;
export const TMPFS_BYTES = { job: 512 * MiB, tmp: 256 * MiB, shm: 16 * MiB };
const OPEN_FILES = 4096;

export interface SandboxStatus {
  available: boolean;
  /** Why bubblewrap cannot be used, when it cannot. */
  reason: string | null;
}

export interface SandboxPlan {
  sandboxed: boolean;
  /** Host uid/gid to spawn as (set when seig runs as root), else null. */
  runAs: { uid: number; gid: number } | null;
}

function runAsForHost(): SandboxPlan["runAs"] {
  return process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : null;
}

/** Checks that bubblewrap exists and can create an unprivileged, capability-free sandbox here. */
export async function probeBubblewrap(): Promise<SandboxStatus> {
  const runAs = runAsForHost();
  try {
    await run(
      "bwrap",
      [
        ...["--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL"],
        ...["--ro-bind", "/", "/", "--dev", "/dev", "--die-with-parent", "true"],
      ],
      { timeout: 10_000, cwd: "/", ...(runAs ?? {}) },
    );
    return { available: true, reason: null };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      err.code === "ENOENT"
        ? "bubblewrap is not installed (apt-get install -y bubblewrap)"
        : `bubblewrap cannot create an unprivileged user namespace: ${(err.stderr || err.message).split("\n")[0]}`;
    return { available: false, reason };
  }
}

/**
 * Decides whether to sandbox. "auto" means bubblewrap is required: running untrusted code
 * without it takes the explicit "none" (the CLI's --unsafe-no-sandbox).
 */
export async function resolveSandbox(mode: SandboxMode): Promise<SandboxPlan> {
  if (mode === "none") return { sandboxed: false, runAs: null };
  const status = await probeBubblewrap();
  if (!status.available) {
    throw new SeigError(
      `no sandbox for untrusted scene programs: ${status.reason}; or pass --unsafe-no-sandbox to run without one`,
    );
  }
  return { sandboxed: true, runAs: runAsForHost() };
}

export interface SandboxOptions {
  /** Blender's executable (resolved here to its real path). */
  blenderPath: string;
  /** The staged worker scripts (see worker-scripts.ts), mounted at SCRIPTS_MOUNT. */
  scriptsDir: string;
  memoryLimitBytes: number;
}

function limits(memoryLimitBytes: number): string[] {
  return ["prlimit", `--as=${memoryLimitBytes}`, `--nofile=${OPEN_FILES}`, "--core=0", "--"];
}

function bwrapArgs(blenderReal: string, scriptsDir: string): string[] {
  return [
    "bwrap",
    ...["--unshare-user", "--disable-userns", "--unshare-pid", "--unshare-ipc", "--unshare-uts"],
    ...["--unshare-net", "--unshare-cgroup-try", "--cap-drop", "ALL", "--die-with-parent", "--new-session"],
    ...readOnlyMounts(blenderReal, scriptsDir, SCRIPTS_MOUNT),
    ...["--proc", "/proc", "--dev", "/dev"],
    ...["--size", String(TMPFS_BYTES.shm), "--tmpfs", "/dev/shm"],
    // bwrap's /dev is an unsized tmpfs: read-only, so only the sized /dev/shm takes writes.
    ...["--remount-ro", "/dev"],
    ...["--size", String(TMPFS_BYTES.tmp), "--tmpfs", "/tmp"],
    ...["--size", String(TMPFS_BYTES.job), "--tmpfs", JOB_MOUNT],
    ...["--remount-ro", "/", "--chdir", JOB_MOUNT, "--hostname", "seig"],
    ...["--seccomp", String(SECCOMP_FD), "--"],
  ];
}

/** The argv that runs Blender (`blenderArgs` after the executable) inside the sandbox. */
export async function sandboxedArgv(options: SandboxOptions, blenderArgs: string[]): Promise<string[]> {
  const blenderReal = await realpath(options.blenderPath);
  return [
    ...limits(options.memoryLimitBytes),
    ...bwrapArgs(blenderReal, options.scriptsDir),
    blenderReal,
    ...blenderArgs,
  ];
}

/** Without a sandbox (--unsafe-no-sandbox): the same limits, nothing else. */
export function unsandboxedArgv(options: SandboxOptions, blenderArgs: string[]): string[] {
  return [...limits(options.memoryLimitBytes), options.blenderPath, ...blenderArgs];
}
