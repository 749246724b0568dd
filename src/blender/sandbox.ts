/**
 * The OS sandbox around a Blender worker. Untrusted scene programs run inside
 * bubblewrap: no network, the whole file system read-only except the pool's writable
 * folders and a private /tmp, its own PID namespace, and an address-space limit.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { SeigError } from "../errors.ts";

const run = promisify(execFile);

export type SandboxMode = "auto" | "bwrap" | "none";

export interface SandboxStatus {
  available: boolean;
  /** Why bubblewrap cannot be used, when it cannot. */
  reason: string | null;
}

/** Checks that bubblewrap exists and can actually create its namespaces here. */
export async function probeBubblewrap(): Promise<SandboxStatus> {
  try {
    await run(
      "bwrap",
      ["--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "--die-with-parent", "true"],
      {
        timeout: 10_000,
      },
    );
    return { available: true, reason: null };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const reason =
      err.code === "ENOENT"
        ? "bubblewrap is not installed (apt-get install -y bubblewrap)"
        : `bubblewrap failed: ${(err.stderr || err.message).split("\n")[0]}`;
    return { available: false, reason };
  }
}

export interface SandboxOptions {
  writableDirs: string[];
  /** Folders the worker must read even when they lie under the private /tmp (its own scripts, Blender). */
  readableDirs: string[];
  memoryLimitBytes: number;
}

/**
 * Decides whether to sandbox. "auto" means bubblewrap is required: running untrusted code
 * without it takes the explicit "none" (the CLI's --unsafe-no-sandbox).
 */
export async function resolveSandbox(mode: SandboxMode): Promise<boolean> {
  if (mode === "none") return false;
  const status = await probeBubblewrap();
  if (!status.available) {
    throw new SeigError(
      `no sandbox for untrusted scene programs: ${status.reason}; or pass --unsafe-no-sandbox to run without one`,
    );
  }
  return true;
}

/** The argv that runs `command` inside the sandbox (or unchanged when not sandboxed). */
export function sandboxedCommand(command: string[], sandboxed: boolean, options: SandboxOptions): string[] {
  const limit = ["prlimit", `--as=${options.memoryLimitBytes}`, "--"];
  if (!sandboxed) return [...limit, ...command];
  const binds = [
    ...options.readableDirs.flatMap((dir) => ["--ro-bind", dir, dir]),
    ...options.writableDirs.flatMap((dir) => ["--bind", dir, dir]),
  ];
  return [
    ...limit,
    "bwrap",
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    ...binds,
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--die-with-parent",
    "--new-session",
    "--setenv",
    "HOME",
    "/tmp",
    "--",
    ...command,
  ];
}
