/**
 * `seig reconstruct <photo> --queue`: one photo as one job, waited for, its run folder unpacked
 * where a local run would have written it. The id hashes the photo's bytes and the settings, so
 * submitting the same photo again collects the earlier result instead of running it twice.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import type { ReconstructSettings } from "../api/reconstruct.ts";
import { InputError } from "../errors.ts";
import { collectJobs } from "./collect.ts";
import type { Delivery, JobData, JobProgress } from "./job-data.ts";
import { jobId, sha256 } from "./job-id.ts";
import { type QueueClient, submitJob } from "./queue-client.ts";
import { QueueJobFailed } from "./queue-errors.ts";
import { landFolder } from "./result-folder.ts";

export interface PhotoQueueOptions {
  image: string;
  outDir: string;
  settings: Omit<z.output<typeof ReconstructSettings>, "outDir">;
  delivery: Delivery;
  byPath: boolean;
  pollMs: number;
  unreachableMs: number;
  onProgress?: (progress: JobProgress | null) => void;
}

/** Never write into a folder that already holds something: a run folder is not silently overwritten. */
async function assertEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  if (entries.length > 0) throw new InputError(`${dir} already holds files; give a new --out folder`);
}

export async function reconstructOnQueue(client: QueueClient, o: PhotoQueueOptions): Promise<string> {
  await assertEmpty(o.outDir);
  const bytes = await readFile(o.image).catch(() => {
    throw new InputError(`cannot read ${o.image}`);
  });
  const data: JobData = {
    kind: "photo",
    image: o.byPath
      ? { kind: "path", path: path.resolve(o.image) }
      : { kind: "bytes", name: path.basename(o.image), base64: bytes.toString("base64") },
    settings: o.settings,
    delivery: o.delivery,
  };
  const id = jobId("photo", path.basename(o.image), { settings: o.settings, image: sha256(bytes) });
  await submitJob(client, id, data, true);
  let failure: string | null = null;
  await collectJobs(client, new Map([[id, data]]), {
    pollMs: o.pollMs,
    unreachableMs: o.unreachableMs,
    onResult: async (_id, result) => {
      await mkdir(o.outDir, { recursive: true });
      await landFolder(result, o.outDir);
    },
    onFailed: async (_id, reason) => {
      failure = reason;
    },
    onProgress: (running) => o.onProgress?.(running.get(id) ?? null),
  });
  if (failure !== null) {
    throw new QueueJobFailed(`job ${id} failed on the workers: ${failure} (retry it with seig queue retry)`);
  }
  return path.resolve(o.outDir);
}
