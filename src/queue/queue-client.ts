/**
 * The submitter's side of the queue: one BullMQ Queue on a checked connection, and the idempotent
 * add. Jobs are kept after they finish (completed and failed alike): a restarted or second
 * submitter collects a finished job's result instead of running it again, and a failed job keeps
 * its error until someone retries it.
 */
import { Queue } from "bullmq";
import { oneLine } from "../errors.ts";
import { type JobData, QUEUE_NAME } from "./job-data.ts";
import { QueueUnreachable } from "./queue-errors.ts";
import { assertReachable, connect, type QueueUrl } from "./redis-url.ts";
import { assertNoSecrets } from "./secrets.ts";

export interface QueueClient {
  readonly url: QueueUrl;
  readonly queue: Queue;
  close(): Promise<void>;
}

/** Attempts per job: one retry covers a worker's transient trouble; more would repeat a real failure. */
export const JOB_ATTEMPTS = 2;

export async function openQueue(url: QueueUrl): Promise<QueueClient> {
  await assertReachable(url);
  const connection = connect(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  queue.on("error", () => {});
  return {
    url,
    queue,
    close: async () => {
      // close() waits for Redis; when Redis is gone, waiting would only hang the exit.
      await Promise.race([queue.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
      connection.disconnect();
    },
  };
}

/** Resolves with `work`, or throws QueueUnreachable once Redis has not answered for `ms`. */
export async function withinDeadline<T>(url: QueueUrl, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new QueueUnreachable(
            `Redis at ${url.shown} stopped answering for ${Math.round(ms / 1000)} s — start it again and re-run the same command; finished results are kept`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (e) {
    if (e instanceof QueueUnreachable) throw e;
    throw new QueueUnreachable(`Redis at ${url.shown} failed: ${oneLine(e)}`, 1, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Adds the job unless a job with this id exists. An existing failed job is retried when
 * `retryFailed` (a re-run retries failed scenes, as a local `bench run` does).
 */
export async function submitJob(
  client: QueueClient,
  id: string,
  data: JobData,
  retryFailed: boolean,
): Promise<"added" | "exists" | "retried"> {
  assertNoSecrets(data);
  const existing = await client.queue.getJob(id);
  if (existing) {
    if (retryFailed && (await existing.getState()) === "failed") {
      await existing.retry("failed");
      return "retried";
    }
    return "exists";
  }
  await client.queue.add(data.kind, data, {
    jobId: id,
    attempts: JOB_ATTEMPTS,
    backoff: { type: "fixed", delay: 1000 },
    removeOnComplete: false,
    removeOnFail: false,
  });
  return "added";
}
