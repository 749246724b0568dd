/** Options every command that submits to the queue shares, read into typed values. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../errors.ts";
import type { Delivery } from "../queue/job-data.ts";
import { openQueue, type QueueClient } from "../queue/queue-client.ts";
import { parseQueueUrl } from "../queue/redis-url.ts";
import { assertBucket, isObjectStorageUrl, parseS3Url } from "../queue/s3-results.ts";
import { intOption, numberOption } from "./options.ts";

export interface SubmitOptions {
  queue?: string;
  results?: string;
  maxResultMb: number;
  byPath?: boolean;
  redisTimeout: number;
}

export function addSubmitOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--queue <url>",
        "submit to workers on Redis instead of running here (redis://host:port[/db], rediss:// for TLS)",
      ),
    )
    .addOption(
      new Option(
        "--results <dir|url>",
        "with --queue: a folder submitter and workers share, or s3+https://host/bucket[/prefix] (S3-compatible; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); results come back through it instead of Redis",
      ),
    )
    .addOption(
      new Option("--max-result-mb <mb>", "with --queue: largest run folder packed through Redis")
        .argParser(numberOption("--max-result-mb"))
        .default(64),
    )
    .addOption(
      new Option("--by-path", "with --queue: send image paths (on shared storage) instead of their bytes"),
    )
    .addOption(
      new Option("--redis-timeout <s>", "with --queue: give up when Redis has not answered for this long")
        .argParser(intOption("--redis-timeout", 1, 86_400))
        .default(30),
    );
}

export async function deliveryFrom(o: SubmitOptions): Promise<Delivery> {
  if (o.results === undefined) {
    if (!(o.maxResultMb > 0)) throw new InputError("--max-result-mb must be above 0");
    return { kind: "pack", maxBytes: Math.round(o.maxResultMb * 1e6) };
  }
  if (isObjectStorageUrl(o.results)) {
    const loc = parseS3Url(o.results);
    // The submitter downloads every result: its own credentials must reach the bucket too.
    await assertBucket(loc);
    return { kind: "s3", url: loc.url };
  }
  const dir = path.resolve(o.results);
  await mkdir(dir, { recursive: true });
  return { kind: "dir", path: dir };
}

export async function openSubmitQueue(url: string): Promise<QueueClient> {
  return openQueue(parseQueueUrl(url));
}

/** Polling interval of a submitter: quick enough for a live bar, a few commands per job per second at most. */
export const POLL_MS = 500;
