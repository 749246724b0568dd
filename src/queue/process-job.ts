/**
 * What a worker does with one job, BullMQ aside: lay out the job's folder, run the method on the
 * worker's warm pool (a bench scene is scored exactly as `bench run` scores it locally), and hand
 * the folder back packed or through the shared results folder. The job folder is kept per job id,
 * so a retried job resumes: a finished reconstruction is only scored, a scored one returned.
 */
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { reconstruct } from "../api/reconstruct.ts";
import { TARGET, TRUTH } from "../bench/generate.ts";
import { builtinMethods, resolveMethod } from "../bench/methods.ts";
import { runScene, sceneDir } from "../bench/run.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import { pathExists } from "../path-exists.ts";
import type { ProgressEvent } from "../run/progress.ts";
import type { Delivery, InputFile, JobResult, PhotoJob, SceneJob } from "./job-data.ts";
import { packFolder } from "./pack.ts";

export interface JobContext {
  jobId: string;
  worker: string;
  /** Where this worker keeps job folders (inside its pool's writable folders). */
  workDir: string;
  pool: BlenderPool;
  models: (semantic: boolean) => MetricModels;
  progress: (event: ProgressEvent) => void;
}

/** The input image as a file in the job folder (bytes), or the shared path as it is. */
async function inputPath(file: InputFile, dir: string, fallbackName: string): Promise<string> {
  if (file.kind === "path") {
    if (!(await pathExists(file.path))) {
      throw new InputError(
        `input ${file.path} is not readable on this worker; share the folder or send bytes`,
      );
    }
    return file.path;
  }
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, path.basename(file.name) || fallbackName);
  await writeFile(target, Buffer.from(file.base64, "base64"));
  return target;
}

/** With a shared results folder, a job another worker started continues from what it left there. */
async function restoreCheckpoint(delivery: Delivery, ctx: JobContext, local: string): Promise<void> {
  if (delivery.kind !== "dir" || (await pathExists(local))) return;
  const shared = path.join(delivery.path, ctx.jobId);
  if (await pathExists(shared)) await cp(shared, local, { recursive: true });
}

async function deliver(
  folder: string,
  delivery: Delivery,
  ctx: JobContext,
  started: number,
  label: string,
): Promise<JobResult> {
  const seconds = (performance.now() - started) / 1000;
  if (delivery.kind === "dir") {
    const shared = path.join(delivery.path, ctx.jobId);
    await rm(shared, { recursive: true, force: true });
    await cp(folder, shared, { recursive: true });
    return { kind: "dir", worker: ctx.worker, seconds, path: shared };
  }
  const { files, bytes } = await packFolder(folder, delivery.maxBytes, label);
  return { kind: "packed", worker: ctx.worker, seconds, bytes, files };
}

export async function processSceneJob(job: SceneJob, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const root = path.join(ctx.workDir, ctx.jobId);
  const resolved = resolveMethod(builtinMethods(), job.method);
  if (!resolved) throw new InputError(`this worker has no method "${job.method}"`);
  const input = path.join(root, "input");
  const target = await inputPath(job.target, input, TARGET);
  let truth: string | null = null;
  if (job.truth !== null) {
    truth = path.join(input, TRUTH);
    await writeFile(truth, job.truth);
  }
  const folder = sceneDir(root, job.scene);
  await restoreCheckpoint(job.delivery, ctx, folder);
  const { score } = await runScene(
    { id: job.scene, target, truth },
    {
      outDir: root,
      method: resolved.method,
      methodOptions: {
        ...job.methodOptions,
        ...(resolved.model ? { model: resolved.model } : {}),
        warmPool: true,
        progress: ctx.progress,
      },
      pool: ctx.pool,
      models: ctx.models(job.semantic),
      concurrency: 1,
    },
  );
  // A failed scene fails the job, so BullMQ retries it and keeps the error for `seig queue retry`.
  if (score.error) throw new Error(`${job.scene}: ${score.error}`);
  return deliver(folder, job.delivery, ctx, started, `scene ${job.scene}`);
}

export async function processPhotoJob(job: PhotoJob, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const root = path.join(ctx.workDir, ctx.jobId);
  const image = await inputPath(job.image, path.join(root, "input"), "photo.png");
  const runDir = path.join(root, "run");
  await restoreCheckpoint(job.delivery, ctx, runDir);
  if (!(await pathExists(path.join(runDir, "final.png")))) {
    // A partial folder from a killed attempt is not resumable by the method yet: start it again.
    await rm(runDir, { recursive: true, force: true });
    const handle = reconstruct(image, { ...job.settings, outDir: runDir, pool: ctx.pool });
    for await (const event of handle)
      if (!event.type.startsWith("run-")) ctx.progress(event as ProgressEvent);
    await handle.result;
  }
  return deliver(runDir, job.delivery, ctx, started, `photo ${path.basename(image)}`);
}
