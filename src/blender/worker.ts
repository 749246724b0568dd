/**
 * One Blender worker process running python/worker.py: a zygote that forks a fresh child
 * per job (so no job sees another's state) and answers with one envelope per job. The
 * envelope is untrusted input: it is parsed with a length cap and zod, and anything
 * unexpected ends this worker (the pool starts a new one).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { cleanLine } from "../clean-text.ts";
import { SeigError } from "../errors.ts";
import { LineReader } from "./line-reader.ts";
import {
  type JobRequest,
  PartialEnvelope,
  ReadyMessage,
  type SandboxReport,
  WorkerEnvelope,
} from "./protocol.ts";

const LOG_CAP = 20_000;
const KILL_GRACE_MS = 2_000;
const START_TIMEOUT_MS = 60_000;
/** Output files travel base64-encoded inside the envelope (the worker caps them at 160 MiB). */
const ENVELOPE_CAP = 256 * 1024 ** 2;

export interface WorkerLaunch {
  /** Full argv, sandbox wrapper included (see sandbox.ts). */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Host uid/gid to run as (seig started as root). */
  runAs: { uid: number; gid: number } | null;
  /** The compiled seccomp filter, passed to bwrap as descriptor 4. */
  seccompFile: string | null;
}

/** The Blender command line of a worker after the executable, before any sandbox wrapping. */
export function blenderWorkerArgs(scriptsDir: string): string[] {
  return [
    "--background",
    "--factory-startup",
    "--disable-autoexec",
    "--python-exit-code",
    "1",
    "--python",
    `${scriptsDir}/worker.py`,
  ];
}

export type WorkerOutcome =
  | { envelope: WorkerEnvelope }
  | { failure: "timeout" | "crash" | "protocol"; detail: string };

export class BlenderWorker {
  private readonly child: ChildProcess;
  private readonly replies: LineReader;
  private log = "";
  private exited = false;
  blenderVersion = "";
  sandboxReport: SandboxReport | null = null;

  private constructor(launch: WorkerLaunch) {
    const [file, ...args] = launch.argv;
    const seccomp = launch.seccompFile === null ? null : openSync(launch.seccompFile, "r");
    try {
      this.child = spawn(file!, args, {
        env: launch.env,
        cwd: "/",
        ...(launch.runAs ?? {}),
        // Its own process group, so a kill reaches Blender and everything it started.
        detached: true,
        stdio: ["pipe", "pipe", "pipe", "pipe", ...(seccomp === null ? [] : [seccomp])],
      });
    } finally {
      if (seccomp !== null) closeSync(seccomp);
    }
    this.child.on("exit", () => {
      this.exited = true;
    });
    this.child.on("error", (e) => {
      this.exited = true;
      this.log += `\n${e.message}`;
    });
    const keepTail = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-LOG_CAP);
    };
    this.child.stdout!.on("data", keepTail);
    this.child.stderr!.on("data", keepTail);
    this.replies = new LineReader(this.child.stdio[3] as Readable, ENVELOPE_CAP);
  }

  static async start(launch: WorkerLaunch): Promise<BlenderWorker> {
    const worker = new BlenderWorker(launch);
    const first = await worker.replies.next(START_TIMEOUT_MS);
    const ready = first.kind === "line" ? ReadyMessage.safeParse(parseJson(first.text)) : null;
    if (!ready?.success) {
      worker.kill();
      throw new SeigError(`Blender worker failed to start: ${worker.logTail() || "no output"}`);
    }
    worker.blenderVersion = ready.data.blenderVersion;
    worker.sandboxReport = ready.data.sandbox;
    return worker;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Blender's own recent output, for diagnosing a crash (control characters removed). */
  logTail(lines = 15): string {
    return cleanLine(this.log.trim().split("\n").slice(-lines).join(" | "));
  }

  /**
   * Runs one job. Any outcome but a well-formed envelope for this job leaves the worker killed.
   * A batch's candidates forwarded before the envelope go to `onPartial` (a job without it
   * must not receive any).
   */
  async run(
    job: JobRequest,
    timeoutMs: number,
    onPartial?: (partial: PartialEnvelope) => void,
  ): Promise<WorkerOutcome> {
    this.log = "";
    (this.child.stdin as Writable).write(`${JSON.stringify(job)}\n`);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const next = await this.replies.next(Math.max(0, deadline - performance.now()));
      if (next.kind !== "line") {
        this.kill();
        if (next.kind === "timeout") return { failure: "timeout", detail: "" };
        if (next.kind === "closed") return { failure: "crash", detail: this.logTail() };
        return { failure: "protocol", detail: "a reply line longer than the cap" };
      }
      const json = parseJson(next.text);
      if (isPartial(json)) {
        const partial = PartialEnvelope.safeParse(json);
        if (!onPartial || !partial.success || partial.data.id !== job.id) {
          this.kill();
          return { failure: "protocol", detail: "a partial reply that was not expected or not valid" };
        }
        onPartial(partial.data);
        continue;
      }
      const parsed = WorkerEnvelope.safeParse(json);
      if (!parsed.success || parsed.data.id !== job.id) {
        this.kill();
        return {
          failure: "protocol",
          detail: parsed.success ? "a reply for another job" : "a reply that is not a valid envelope",
        };
      }
      return { envelope: parsed.data };
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

function isPartial(json: unknown): boolean {
  return typeof json === "object" && json !== null && "partial" in json;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
