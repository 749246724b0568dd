/**
 * How a job's run folder travels, at both ends: the worker hands it back (packed into the result,
 * copied into a shared folder, or stored in object storage) and the submitter lays it down where a
 * local run would have written it. A worker also looks in the shared results for a finished
 * folder of the same job (another worker finished it but the job was retried), so it is not redone.
 */
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { pathExists } from "../path-exists.ts";
import type { Delivery, JobResult } from "./job-data.ts";
import { packFolder, unpackFolder } from "./pack.ts";
import { downloadFolder, jobLocation, parseS3Url, uploadFolder } from "./s3-results.ts";

export interface Handing {
  jobId: string;
  worker: string;
  /** performance.now() when the job started. */
  started: number;
  /** Names the folder in the over-size message ("scene clevr_003"). */
  label: string;
}

/** The worker's side: the folder handed back as `delivery` says. */
export async function handBack(folder: string, delivery: Delivery, h: Handing): Promise<JobResult> {
  const seconds = (performance.now() - h.started) / 1000;
  if (delivery.kind === "dir") {
    const shared = path.join(delivery.path, h.jobId);
    await rm(shared, { recursive: true, force: true });
    await cp(folder, shared, { recursive: true });
    return { kind: "dir", worker: h.worker, seconds, path: shared };
  }
  if (delivery.kind === "s3") {
    const loc = jobLocation(parseS3Url(delivery.url), h.jobId);
    await uploadFolder(folder, loc);
    return { kind: "s3", worker: h.worker, seconds, url: loc.url };
  }
  const { files, bytes } = await packFolder(folder, delivery.maxBytes, h.label);
  return { kind: "packed", worker: h.worker, seconds, bytes, files };
}

/** The worker's side: a finished copy of this job's folder from the shared results, when there is one. */
export async function restoreFromResults(delivery: Delivery, jobId: string, local: string): Promise<void> {
  if (await pathExists(local)) return;
  if (delivery.kind === "dir") {
    const shared = path.join(delivery.path, jobId);
    if (await pathExists(shared)) await cp(shared, local, { recursive: true });
  } else if (delivery.kind === "s3") {
    await downloadFolder(jobLocation(parseS3Url(delivery.url), jobId), local);
  }
}

/** The submitter's side: the job's folder written into `dir`. */
export async function landFolder(result: JobResult, dir: string): Promise<void> {
  if (result.kind === "packed") await unpackFolder(dir, result.files);
  else if (result.kind === "dir") await cp(result.path, dir, { recursive: true });
  else if (result.kind === "s3" && (await downloadFolder(parseS3Url(result.url), dir)) === 0) {
    throw new Error(`the job's folder at ${result.url} is empty: was it deleted? retry the job`);
  }
}
