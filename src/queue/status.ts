/** `seig queue status | retry`: what the queue holds, which workers are connected, and retrying failures. */
import type { Job } from "bullmq";
import type { QueueClient } from "./queue-client.ts";

export interface QueueStatus {
  counts: Record<string, number>;
  workers: { name: string; addr: string; idleSeconds: number }[];
  failed: { id: string; reason: string; attempts: number }[];
}

const STATES = ["waiting", "active", "delayed", "prioritized", "completed", "failed", "paused"] as const;

export async function queueStatus(client: QueueClient, failedShown = 10): Promise<QueueStatus> {
  const counts = await client.queue.getJobCounts(...STATES);
  // Workers are Redis clients named after the queue; getWorkers reads them from CLIENT LIST.
  const workers = (await client.queue.getWorkers()).map((w) => ({
    name: String(w["rawname"] ?? w["name"] ?? "?").replace(/^.*?:w:/, ""),
    addr: String(w["addr"] ?? "?"),
    idleSeconds: Number(w["idle"] ?? 0),
  }));
  const failed = (await client.queue.getFailed(0, failedShown - 1)).map((job: Job) => ({
    id: String(job.id),
    reason: job.failedReason,
    attempts: job.attemptsMade,
  }));
  return { counts, workers, failed };
}

export function formatStatus(shown: string, s: QueueStatus): string {
  const lines = [`queue on ${shown}`];
  lines.push(`  ${STATES.map((k) => `${k} ${s.counts[k] ?? 0}`).join(" · ")}`);
  lines.push(`  workers alive: ${s.workers.length}`);
  for (const w of s.workers) lines.push(`    ${w.name} (${w.addr}, idle ${w.idleSeconds} s)`);
  if (s.failed.length > 0) {
    lines.push(`  failed jobs (newest ${s.failed.length}; retry with seig queue retry):`);
    for (const f of s.failed) lines.push(`    ${f.id} after ${f.attempts} attempt(s): ${f.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Moves failed jobs back to waiting: one by id, or all of them. Returns how many. */
export async function retryFailed(client: QueueClient, id?: string): Promise<number> {
  if (id === undefined) {
    const count = (await client.queue.getJobCounts("failed"))["failed"] ?? 0;
    await client.queue.retryJobs({ state: "failed" });
    return count;
  }
  const job = await client.queue.getJob(id);
  if (!job || (await job.getState()) !== "failed") return 0;
  await job.retry("failed");
  return 1;
}
