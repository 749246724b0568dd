/**
 * One persistent Blender process running python/worker.py. It takes one job at a time;
 * a job that times out or crashes Blender ends the process (its whole process group), and
 * the pool starts a new one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { SeigError } from "../errors.ts";
import { JobReply, type JobRequest, ReadyMessage } from "./protocol.ts";

const WORKER_SCRIPT = fileURLToPath(new URL("./python/worker.py", import.meta.url));
/** The Blender-side scripts, which the sandbox must keep readable wherever the checkout lives. */
export const WORKER_SCRIPT_DIR = path.dirname(WORKER_SCRIPT);
const LOG_CAP = 20_000;
const KILL_GRACE_MS = 2_000;
const START_TIMEOUT_MS = 60_000;

export interface WorkerLaunch {
  /** Full argv, sandbox wrapper included (see sandbox.ts). */
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/** The Blender command line of a worker, before any sandbox wrapping. */
export function blenderWorkerArgv(blenderPath: string): string[] {
  return [
    blenderPath,
    "--background",
    "--factory-startup",
    "--disable-autoexec",
    "--python-exit-code",
    "1",
    "--python",
    WORKER_SCRIPT,
  ];
}

export class BlenderWorker {
  private readonly child: ChildProcess;
  private readonly replies: AsyncIterator<string>;
  private log = "";
  private exited = false;
  readonly blenderVersion: Promise<string>;

  private constructor(launch: WorkerLaunch) {
    const [file, ...args] = launch.argv;
    this.child = spawn(file!, args, {
      env: launch.env,
      // Its own process group, so a kill reaches Blender and everything it started.
      detached: true,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    this.child.on("exit", () => {
      this.exited = true;
    });
    this.child.on("error", () => {
      this.exited = true;
    });
    const keepTail = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-LOG_CAP);
    };
    this.child.stdout!.on("data", keepTail);
    this.child.stderr!.on("data", keepTail);
    const channel = this.child.stdio[3] as Readable;
    this.replies = createInterface({ input: channel, crlfDelay: Number.POSITIVE_INFINITY })[
      Symbol.asyncIterator
    ]();
    this.blenderVersion = this.nextLine(START_TIMEOUT_MS).then((line) => {
      if (line == null)
        throw new SeigError(`Blender worker failed to start: ${this.logTail() || "no output"}`);
      return ReadyMessage.parse(JSON.parse(line)).blenderVersion;
    });
  }

  static async start(launch: WorkerLaunch): Promise<BlenderWorker> {
    const worker = new BlenderWorker(launch);
    try {
      await worker.blenderVersion;
    } catch (e) {
      worker.kill();
      throw e;
    }
    return worker;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Blender's own recent output, for diagnosing a crash. */
  logTail(lines = 15): string {
    return this.log.trim().split("\n").slice(-lines).join(" | ");
  }

  /** Runs one job; resolves with the reply, or null when the worker died or timed out (it is then killed). */
  async run(
    job: JobRequest,
    timeoutMs: number,
  ): Promise<{ reply: JobReply } | { failure: "timeout" | "crash" }> {
    this.log = "";
    (this.child.stdin as Writable).write(`${JSON.stringify(job)}\n`);
    const line = await this.nextLine(timeoutMs);
    if (line === undefined) {
      this.kill();
      return { failure: "timeout" };
    }
    if (line === null) {
      this.kill();
      return { failure: "crash" };
    }
    return { reply: JobReply.parse(JSON.parse(line)) };
  }

  /** A line from the reply channel; null when the channel closed, undefined on timeout. */
  private async nextLine(timeoutMs: number): Promise<string | null | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const next = this.replies.next().then((r) => (r.done ? null : r.value));
      return await Promise.race([next, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM to the process group, then SIGKILL if it is still there after a grace period. */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exited) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    };
    signalGroup("SIGTERM");
    setTimeout(() => {
      if (!this.exited) signalGroup("SIGKILL");
    }, KILL_GRACE_MS).unref();
  }

  /** Ends the worker politely (closing stdin ends its job loop) and waits for it. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
