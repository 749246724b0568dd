/**
 * A pool of persistent, sandboxed Blender workers. Starting Blender costs about a second
 * and a small render much less, so workers are kept, reset between jobs (factory
 * settings, inside the worker), and replaced after a crash or a timeout.
 */
import { mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InputError } from "../errors.ts";
import { findBlender } from "./find.ts";
import { type JobReply, JobRequest } from "./protocol.ts";
import { resolveSandbox, type SandboxMode, sandboxedCommand } from "./sandbox.ts";
import { BlenderWorker, blenderWorkerArgv, WORKER_SCRIPT_DIR, type WorkerLaunch } from "./worker.ts";

export interface PoolOptions {
  /** Number of workers; defaults to the number of cores. */
  size?: number;
  /** "auto" requires bubblewrap; "none" runs untrusted programs unsandboxed (--unsafe-no-sandbox). */
  sandbox?: SandboxMode;
  /** Folders jobs may write into, besides the pool's own temporary folder. */
  writableDirs?: string[];
  /** Per-job timeout. */
  timeoutMs?: number;
  memoryLimitBytes?: number;
  /** Cycles threads per worker; by default the cores are shared evenly between workers. */
  threadsPerWorker?: number;
}

/** A job as callers write it: the pool fills in the id and, when omitted, the output folder. */
export type PoolJob = Omit<JobRequest, "id" | "outDir"> & { outDir?: string };

/** Environment for Blender: nothing from ours (no API keys), just what it needs to run. */
function workerEnv(): NodeJS.ProcessEnv {
  const keep = ["PATH", "LANG", "LC_ALL", "TZ"];
  const env: NodeJS.ProcessEnv = { HOME: os.tmpdir(), PYTHONNOUSERSITE: "1" };
  for (const key of keep) if (process.env[key]) env[key] = process.env[key];
  return env;
}

export class BlenderPool {
  private readonly idle: BlenderWorker[] = [];
  private readonly waiting: { resolve: (w: BlenderWorker) => void; reject: (e: unknown) => void }[] = [];
  private live = 0;
  private jobCounter = 0;
  private closed = false;

  private constructor(
    private readonly launch: WorkerLaunch,
    readonly size: number,
    readonly workDir: string,
    private readonly writableDirs: string[],
    private readonly timeoutMs: number,
    private readonly threads: number,
    readonly sandboxed: boolean,
    readonly blenderVersion: string,
  ) {}

  static async start(options: PoolOptions = {}): Promise<BlenderPool> {
    const blender = await findBlender();
    const sandboxed = await resolveSandbox(options.sandbox ?? "auto");
    const size = Math.max(1, options.size ?? os.availableParallelism());
    const workDir = await realpath(await mkdtemp(path.join(os.tmpdir(), "seig-pool-")));
    const writableDirs = [
      workDir,
      ...(await Promise.all((options.writableDirs ?? []).map((d) => realpath(d)))),
    ];
    const argv = sandboxedCommand(blenderWorkerArgv(blender.path), sandboxed, {
      writableDirs,
      readableDirs: [WORKER_SCRIPT_DIR, path.dirname(await realpath(blender.path))],
      memoryLimitBytes: options.memoryLimitBytes ?? 8 * 1024 ** 3,
    });
    const threads = options.threadsPerWorker ?? Math.max(1, Math.floor(os.availableParallelism() / size));
    const pool = new BlenderPool(
      { argv, env: workerEnv() },
      size,
      workDir,
      writableDirs,
      options.timeoutMs ?? 120_000,
      threads,
      sandboxed,
      blender.version,
    );
    // Start one worker now so a broken Blender or sandbox fails here, with its message.
    pool.release(await pool.spawn());
    return pool;
  }

  /** Runs a program (and renders it when `render` is given). Never throws for a bad program: see reply.error. */
  async run(job: PoolJob, options: { timeoutMs?: number } = {}): Promise<JobReply> {
    const id = `job-${++this.jobCounter}`;
    const outDir = path.resolve(job.outDir ?? path.join(this.workDir, id));
    this.checkWritable(outDir);
    const request = JobRequest.parse({
      ...job,
      id,
      outDir,
      render: job.render ? { threads: this.threads, ...job.render } : undefined,
    });
    const worker = await this.acquire();
    const result = await worker.run(request, options.timeoutMs ?? this.timeoutMs);
    if ("reply" in result) {
      this.release(worker);
      return result.reply;
    }
    const log = worker.logTail();
    this.replace(worker);
    const message =
      result.failure === "timeout"
        ? `the program did not finish within ${Math.round((options.timeoutMs ?? this.timeoutMs) / 1000)} s (infinite loop?); its worker was restarted`
        : `Blender crashed while running the program; its worker was restarted (${log || "no output"})`;
    return failedReply(id, result.failure, message);
  }

  private checkWritable(dir: string): void {
    if (!this.writableDirs.some((root) => dir === root || dir.startsWith(root + path.sep))) {
      throw new InputError(
        `output folder ${dir} is outside the sandbox's writable folders (${this.writableDirs.join(", ")})`,
      );
    }
  }

  private async spawn(): Promise<BlenderWorker> {
    this.live++;
    try {
      return await BlenderWorker.start(this.launch);
    } catch (e) {
      this.live--;
      throw e;
    }
  }

  private async acquire(): Promise<BlenderWorker> {
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.live < this.size) return this.spawn();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(worker: BlenderWorker): void {
    if (this.closed) {
      void worker.close();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(worker);
    else this.idle.push(worker);
  }

  /** Drops a dead worker; a waiting job gets a fresh one (or the reason none could start). */
  private replace(worker: BlenderWorker): void {
    worker.kill();
    this.live--;
    const next = this.waiting.shift();
    if (next && !this.closed) this.spawn().then(next.resolve, next.reject);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((w) => w.close()));
    await rm(this.workDir, { recursive: true, force: true });
  }
}

function failedReply(id: string, kind: "timeout" | "crash", message: string): JobReply {
  return {
    id,
    ok: false,
    images: [],
    fingerprint: null,
    sections: null,
    objects: [],
    stdout: "",
    buildSeconds: 0,
    renderSeconds: 0,
    blenderVersion: "",
    error: { kind, message, traceback: "", line: null },
  };
}
