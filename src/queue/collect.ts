/**
 * Waits for a set of jobs and hands each result over as it arrives. It polls job states rather
 * than trusting an event stream alone, so a submitter that starts late, or reconnects after a
 * Redis restart, still sees every job; a job Redis has lost (restarted without persistence) is
 * added again. Polling costs one small command per pending job per interval.
 */
import { type JobData, JobProgress, JobResult } from "./job-data.ts";
import { type QueueClient, submitJob, withinDeadline } from "./queue-client.ts";

export interface CollectOptions {
  pollMs: number;
  /** Give up with a one-line error when Redis has not answered for this long. */
  unreachableMs: number;
  onResult: (id: string, result: JobResult) => Promise<void>;
  onFailed: (id: string, reason: string) => Promise<void>;
  /** The latest progress of the jobs running now (id → progress). */
  onProgress?: (running: ReadonlyMap<string, JobProgress>) => void;
}

async function pollOnce(
  client: QueueClient,
  pending: Map<string, JobData>,
  options: CollectOptions,
): Promise<void> {
  const ids = [...pending.keys()];
  const states = await Promise.all(ids.map((id) => client.queue.getJobState(id)));
  const running = new Map<string, JobProgress>();
  for (const [i, id] of ids.entries()) {
    const state = states[i];
    if (state === "unknown") {
      await submitJob(client, id, pending.get(id)!, false);
      continue;
    }
    if (state !== "completed" && state !== "failed" && state !== "active") continue;
    const job = await client.queue.getJob(id);
    if (!job) continue;
    if (state === "active") {
      const progress = JobProgress.safeParse(job.progress);
      if (progress.success) running.set(id, progress.data);
      continue;
    }
    pending.delete(id);
    if (state === "failed") {
      await options.onFailed(id, job.failedReason || "failed without a reason");
      continue;
    }
    const result = JobResult.safeParse(job.returnvalue);
    if (result.success) await options.onResult(id, result.data);
    else await options.onFailed(id, `its result is unreadable (${result.error.issues[0]?.message})`);
  }
  options.onProgress?.(running);
}

export async function collectJobs(
  client: QueueClient,
  pending: Map<string, JobData>,
  options: CollectOptions,
): Promise<void> {
  while (pending.size > 0) {
    await withinDeadline(client.url, options.unreachableMs, pollOnce(client, pending, options));
    if (pending.size > 0) await new Promise((r) => setTimeout(r, options.pollMs));
  }
}
