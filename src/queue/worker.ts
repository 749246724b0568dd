/**
 * `seig worker`: a BullMQ Worker with its own warm Blender pool. It reports progress through the
 * queue, keeps each job's folder under its work folder (where a retry of the job resumes it), and
 * stops gracefully: close() lets the jobs in hand finish; a worker that dies instead leaves its
 * job's lock to expire, so BullMQ's stalled-job check moves the job back to waiting and another
 * worker takes it.
 */
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { BlenderPool } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { oneLine } from "../errors.ts";
import { createMetricModels, type MetricModels } from "../metrics/metric-models.ts";
import type { ProgressEvent } from "../run/progress.ts";
import { JobData, type JobProgress, type JobResult, QUEUE_NAME } from "./job-data.ts";
import { type JobContext, processPhotoJob, processSceneJob } from "./process-job.ts";
import { ResultTooLarge } from "./queue-errors.ts";
import { assertReachable, connect, type QueueUrl } from "./redis-url.ts";

export interface WorkerOptions {
  queue: QueueUrl;
  name: string;
  /** Jobs taken at once. */
  concurrency: number;
  /** Blender processes in the warm pool. */
  poolSize: number;
  workDir: string;
  sandbox: SandboxMode;
  /** A job whose lock is not renewed for this long counts as stalled (its worker died). */
  lockMs: number;
  /** How often this worker looks for stalled jobs. */
  stalledMs: number;
  log: (line: string) => void;
}

export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_STALLED_MS = 15_000;

export function defaultWorkerName(): string {
  return `${os.hostname()}-${process.pid}`;
}

export interface RunningWorker {
  /** Takes no more jobs, lets the jobs in hand finish, then closes the pool and Redis. */
  close(): Promise<void>;
}

/** Progress events are frequent; forward at most one a second, and every stage boundary. */
function progressForwarder(job: Job, worker: string): (event: ProgressEvent) => void {
  let last = 0;
  return (event) => {
    const now = Date.now();
    const boundary = event.type !== "iteration";
    if (!boundary && now - last < 1000) return;
    last = now;
    const progress: JobProgress = {
      worker,
      stage: "stage" in event ? event.stage : null,
      fraction: event.type === "iteration" ? event.fraction : null,
      text: event.type === "note" ? event.text : event.type,
    };
    job.updateProgress(progress).catch(() => {});
  };
}

async function runJob(job: Job, ctx: Omit<JobContext, "jobId" | "progress">): Promise<JobResult> {
  const parsed = JobData.safeParse(job.data);
  // A job this worker cannot read will not become readable by retrying it.
  if (!parsed.success)
    throw new UnrecoverableError(`job ${job.id} has unreadable data: ${parsed.error.issues[0]?.message}`);
  const data = parsed.data;
  const full: JobContext = { ...ctx, jobId: job.id!, progress: progressForwarder(job, ctx.worker) };
  if (data.kind === "noop") {
    const started = performance.now();
    if (data.sleepMs > 0) await new Promise((r) => setTimeout(r, data.sleepMs));
    return { kind: "noop", worker: ctx.worker, seconds: (performance.now() - started) / 1000 };
  }
  try {
    return data.kind === "scene" ? await processSceneJob(data, full) : await processPhotoJob(data, full);
  } catch (e) {
    // Re-running cannot shrink a result; fail at once with the message that says what to do.
    if (e instanceof ResultTooLarge) throw new UnrecoverableError(e.message);
    throw e;
  }
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  await assertReachable(options.queue);
  await mkdir(options.workDir, { recursive: true });
  const pool = await BlenderPool.start({
    size: options.poolSize,
    sandbox: options.sandbox,
    writableDirs: [options.workDir],
  });
  const models = new Map<boolean, MetricModels>();
  const modelsFor = (semantic: boolean) => {
    if (!models.has(semantic)) models.set(semantic, createMetricModels({ semantic }));
    return models.get(semantic)!;
  };
  const ctx = { worker: options.name, workDir: options.workDir, pool, models: modelsFor, log: options.log };
  const connection = connect(options.queue);
  const worker = new Worker(QUEUE_NAME, (job) => runJob(job, ctx), {
    connection,
    name: options.name,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.stalledMs,
    // A job whose worker died twice is more likely the job's fault than the workers'.
    maxStalledCount: 2,
    autorun: false,
  });
  wireLogs(worker, options);
  void worker.run().catch((e) => options.log(`worker stopped: ${oneLine(e)}`));
  options.log(
    `worker ${options.name} on ${options.queue.shown}: ${options.concurrency} job(s) at a time, ${pool.size} Blender process(es), jobs in ${options.workDir}`,
  );
  return {
    close: async () => {
      // With Redis gone, close() would wait for it forever; the jobs' locks then expire as if killed.
      await Promise.race([worker.close(), redisGone(connection, CLOSE_WITHOUT_REDIS_MS)]);
      // BullMQ leaves a connection it was given open; the process would never exit.
      connection.disconnect();
      await pool.close();
      await Promise.all([...models.values()].map((m) => m.close()));
    },
  };
}

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection is closed|connect/i;

function wireLogs(worker: Worker, options: WorkerOptions): void {
  let redisDown = false;
  worker.on("active", (job) => options.log(`started ${job.id} (attempt ${job.attemptsMade + 1})`));
  worker.on("completed", (job) => options.log(`finished ${job.id}`));
  worker.on("failed", (job, e) => options.log(`failed ${job?.id ?? "?"}: ${oneLine(e)}`));
  worker.on("error", (e) => {
    // Other errors (a lock lost after a long pause, say) are worth a line of their own.
    if (!CONNECTION_ERROR.test(oneLine(e))) return options.log(`error: ${oneLine(e)}`);
    // ioredis reconnects by itself; say once that Redis is gone, and once that it is back.
    if (!redisDown) options.log(`lost Redis at ${options.queue.shown} (${oneLine(e)}); reconnecting`);
    redisDown = true;
  });
  worker.on("ready", () => {
    if (redisDown) options.log(`Redis at ${options.queue.shown} is back`);
    redisDown = false;
  });
}

const CLOSE_WITHOUT_REDIS_MS = 5000;

/** Resolves once the connection has been down for `ms` without a break; never while Redis is up. */
function redisGone(connection: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let downSince: number | null = null;
    const timer = setInterval(() => {
      if (connection.status === "ready") downSince = null;
      else downSince ??= Date.now();
      if (downSince !== null && Date.now() - downSince >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, 250);
    timer.unref();
  });
}

/**
 * One folder for every worker of this machine and user, whatever their names: a job retried on
 * the same machine — by another worker, or by this one restarted under a new pid-based name —
 * finds what the earlier attempt left and resumes it.
 */
export function defaultWorkDir(): string {
  return path.join(os.tmpdir(), `seig-worker-${os.userInfo().username.replace(/[^\w.-]/g, "_")}`);
}
