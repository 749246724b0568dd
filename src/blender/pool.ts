/**
 * A pool of sandboxed Blender workers. Starting Blender costs about a second and a small
 * render much less, so each worker is a long-lived zygote that forks a fresh process per
 * job (python/isolate.py); a worker that breaks the protocol, crashes or overruns its job's
 * time is killed and replaced, and the job fails with one line.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InputError, SeigError } from "../errors.ts";
import { acceptBatchEnvelope, type BatchResult, type Fallback } from "./batch-reply.ts";
import { BatchStream } from "./batch-stream.ts";
import { findBlender } from "./find.ts";
import {
  type BatchJob,
  type PoolJob,
  type PoolOptions,
  timeoutText,
  workerFailureText,
} from "./pool-jobs.ts";
import { type JobFailure, type JobReply, JobRequest, type SandboxReport } from "./protocol.ts";
import { acceptEnvelope, failedReply, type JobOutputs, ProtocolViolation } from "./reply.ts";
import { JOB_MOUNT, resolveSandbox } from "./sandbox.ts";
import { blenderDirs } from "./sandbox-mounts.ts";
import { assessSandbox, weaknesses } from "./sandbox-strength.ts";
import { writeSeccompFilter } from "./seccomp.ts";
import { BlenderWorker, type WorkerOutcome } from "./worker.ts";
import { type LaunchPlan, workerLaunch } from "./worker-launch.ts";
import { stageWorkerScripts } from "./worker-scripts.ts";

export type { BatchJob, PoolJob, PoolOptions } from "./pool-jobs.ts";

/**
 * Workers a method's pool starts with unless told otherwise: at most two, since a search's
 * batches rarely keep more busy and each worker holds a Blender in memory.
 */
export const DEFAULT_METHOD_WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));

/** Node waits this much longer than the worker's own job timeout before killing the worker. */
const BACKSTOP_MS = 15_000;

export class BlenderPool {
  private readonly idle: BlenderWorker[] = [];
  private readonly busy = new Set<BlenderWorker>();
  private readonly waiting: { resolve: (w: BlenderWorker) => void; reject: (e: unknown) => void }[] = [];
  private live = 0;
  private spawned = 0;
  private jobCounter = 0;
  private closed = false;
  /** What the first worker reported about its confinement (see python/probe.py). */
  sandboxReport: SandboxReport | null = null;

  private constructor(
    private readonly plan: LaunchPlan,
    readonly size: number,
    readonly workDir: string,
    private readonly writableDirs: string[],
    private readonly timeoutMs: number,
    private readonly threads: number,
    readonly sandboxed: boolean,
    public blenderVersion: string,
  ) {}

  static async start(options: PoolOptions = {}): Promise<BlenderPool> {
    const blender = await findBlender();
    const sandbox = await resolveSandbox(options.sandbox ?? "auto");
    const size = Math.max(1, options.size ?? os.availableParallelism());
    const workDir = await realpath(await mkdtemp(path.join(os.tmpdir(), "seig-pool-")));
    const writableDirs = [
      workDir,
      ...(await Promise.all((options.writableDirs ?? []).map((d) => realpath(d)))),
    ];
    const scriptsDir = await stageWorkerScripts();
    const plan: LaunchPlan = {
      sandbox,
      blenderPath: blender.path,
      scriptsDir,
      workDir,
      memoryLimitBytes: options.memoryLimitBytes ?? 8 * 1024 ** 3,
      seccompFile: sandbox.sandboxed ? await writeSeccompFilter(scriptsDir) : null,
    };
    const threads = options.threadsPerWorker ?? Math.max(1, Math.floor(os.availableParallelism() / size));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const pool = new BlenderPool(
      plan,
      size,
      workDir,
      writableDirs,
      timeoutMs,
      threads,
      sandbox.sandboxed,
      "",
    );
    try {
      // Start one worker now so a broken Blender or sandbox fails here, with its message.
      const first = await pool.spawn();
      pool.blenderVersion = first.blenderVersion;
      pool.sandboxReport = first.sandboxReport;
      pool.release(first);
      if (sandbox.sandboxed) await pool.verifySandbox(blender.path);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Fails closed: a sandbox that is weaker than designed (seen from inside a worker) is not used. */
  private async verifySandbox(blenderPath: string): Promise<void> {
    const weak =
      this.sandboxReport && weaknesses(assessSandbox(this.sandboxReport, await blenderDirs(blenderPath)));
    if (!this.sandboxReport || weak) {
      throw new SeigError(`the sandbox is weaker than required (${weak ?? "no report"}); see seig doctor`);
    }
  }

  /** Runs a program (and renders it when `render` is given). Never throws for a bad program: see reply.error. */
  async run(job: PoolJob, options: { timeoutMs?: number } = {}): Promise<JobReply> {
    const id = `job-${++this.jobCounter}-${randomBytes(9).toString("hex")}`;
    const outputs: JobOutputs = {
      outDir: path.resolve(job.outDir ?? path.join(this.workDir, id)),
      blendPath: job.saveBlend && path.resolve(job.saveBlend),
      glbPath: job.saveGlb && path.resolve(job.saveGlb),
    };
    for (const target of [outputs.outDir, outputs.blendPath, outputs.glbPath])
      if (target) this.checkWritable(target);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const request = JobRequest.parse({
      id,
      body: job.body,
      params: job.params,
      render: job.render ? { threads: this.threads, ...job.render } : undefined,
      skipScreen: job.skipScreen,
      fingerprint: job.fingerprint,
      sectionFingerprints: job.sectionFingerprints,
      collect: job.collect,
      saveBlend: Boolean(job.saveBlend),
      saveGlb: Boolean(job.saveGlb),
      mask: job.mask ? { threads: this.threads, ...job.mask } : undefined,
      ...this.limits(timeoutMs),
    });
    const worker = await this.acquire();
    this.busy.add(worker);
    const outcome = await worker.run(request, timeoutMs + BACKSTOP_MS);
    this.busy.delete(worker);
    return this.settle(worker, request, outputs, outcome, timeoutMs);
  }

  private limits(timeoutMs: number) {
    return {
      timeoutSeconds: timeoutMs / 1000,
      cpuSeconds: Math.ceil((timeoutMs / 1000) * os.availableParallelism()) + 10,
    };
  }

  /**
   * Renders one program with several PARAMS sets in one job (python/batch.py): results in
   * the sets' order, each exactly what run() would give for that set alone. Sets the batch
   * could not prove equivalent, or that a crash cut short, are rendered by run() instead.
   */
  async runBatch(job: BatchJob): Promise<JobReply[]> {
    const outDirs = job.paramSets.map((_, i) => path.resolve(job.outDirs[i]!));
    for (const dir of outDirs) this.checkWritable(dir);
    // The job's time limit covers every set: each may take what a single job may.
    const timeoutMs = this.timeoutMs * job.paramSets.length;
    const request = JobRequest.parse({
      id: `job-${++this.jobCounter}-${randomBytes(9).toString("hex")}`,
      body: job.body,
      paramSets: job.paramSets,
      imageFormat: job.imageFormat,
      render: { threads: this.threads, ...job.render, views: [] },
      skipScreen: job.skipScreen,
      fingerprint: false,
      ...this.limits(timeoutMs),
    });
    const worker = await this.acquire();
    this.busy.add(worker);
    const stream = new BatchStream(request, outDirs, job.onResult);
    const outcome = await worker.run(request, timeoutMs + BACKSTOP_MS, (p) => stream.accept(p));
    this.busy.delete(worker);
    const results = await this.settleBatch(worker, request, outDirs, outcome, stream);
    return Promise.all(results.map((r, i) => ("fallback" in r ? this.runAlone(job, i, outDirs[i]!, r) : r)));
  }

  /** The full path for one set of a batch; the reply says why (fallbackReason). */
  private async runAlone(job: BatchJob, index: number, outDir: string, why: Fallback): Promise<JobReply> {
    const reply = await this.run({
      body: job.body,
      params: job.paramSets[index],
      render: job.render,
      skipScreen: job.skipScreen,
      outDir,
      fingerprint: false,
    });
    return { ...reply, fallbackFrom: index, fallbackReason: why.fallback };
  }

  private async settleBatch(
    worker: BlenderWorker,
    request: JobRequest,
    outDirs: string[],
    outcome: WorkerOutcome,
    stream: BatchStream,
  ): Promise<BatchResult[]> {
    const violation = await stream.settled();
    // A worker lost mid-batch fails every set, those handed out early too (onResult is only a
    // head start), so the results do not depend on how far the stream got.
    const failAll = (kind: JobFailure["kind"], text: string) =>
      outDirs.map((_, i) => failedReply(`${request.id}#${i}`, kind, text));
    if ("failure" in outcome) {
      this.replace(worker);
      return failAll(outcome.failure, workerFailureText(outcome, timeoutText(this.timeoutMs)));
    }
    if (violation !== null) {
      this.replace(worker);
      return failAll("protocol", `the worker broke the protocol (${violation}); it was replaced`);
    }
    try {
      const results = await acceptBatchEnvelope(outcome.envelope, request, outDirs, stream.early);
      for (const r of results)
        if (!("fallback" in r) && r.error?.kind === "timeout") r.error.message = timeoutText(this.timeoutMs);
      if (outcome.envelope.retire) this.replace(worker);
      else this.release(worker);
      return results;
    } catch (e) {
      if (!(e instanceof ProtocolViolation)) throw e;
      this.replace(worker);
      return failAll("protocol", `the worker broke the protocol (${e.message}); it was replaced`);
    }
  }

  private async settle(
    worker: BlenderWorker,
    request: JobRequest,
    outputs: JobOutputs,
    outcome: WorkerOutcome,
    timeoutMs: number,
  ): Promise<JobReply> {
    const text = timeoutText(timeoutMs);
    if ("failure" in outcome) {
      this.replace(worker);
      return failedReply(request.id, outcome.failure, workerFailureText(outcome, text));
    }
    try {
      const reply = await acceptEnvelope(outcome.envelope, request, outputs);
      if (reply.error?.kind === "timeout") reply.error.message = text;
      if (outcome.envelope.retire) this.replace(worker);
      else this.release(worker);
      return reply;
    } catch (e) {
      if (!(e instanceof ProtocolViolation)) throw e;
      this.replace(worker);
      return failedReply(
        request.id,
        "protocol",
        `the worker broke the protocol (${e.message}); it was replaced`,
      );
    }
  }

  private checkWritable(target: string): void {
    if (!this.writableDirs.some((root) => target === root || target.startsWith(root + path.sep))) {
      throw new InputError(
        `output ${target} is outside the pool's writable folders (${this.writableDirs.join(", ")})`,
      );
    }
  }

  private async spawn(): Promise<BlenderWorker> {
    this.live++;
    try {
      const jobDir = this.sandboxed ? JOB_MOUNT : path.join(this.workDir, `worker-${++this.spawned}`);
      if (!this.sandboxed) await mkdir(jobDir, { recursive: true });
      return await BlenderWorker.start(await workerLaunch(this.plan, jobDir));
    } catch (e) {
      this.live--;
      throw e;
    }
  }

  private async acquire(): Promise<BlenderWorker> {
    if (this.closed) throw new InputError("the Blender pool is closed");
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

  /** Ends every worker: idle ones politely, busy ones killed (their jobs fail as crashes). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new InputError("the Blender pool was closed"));
    for (const worker of this.busy) worker.kill();
    await Promise.all(this.idle.splice(0).map((w) => w.close()));
    await rm(this.workDir, { recursive: true, force: true });
    await rm(this.plan.scriptsDir, { recursive: true, force: true });
  }
}
