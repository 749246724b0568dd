/**
 * What a worker does with one job, BullMQ aside: lay out the job's folder, run the method on the
 * worker's warm pool (a bench scene is scored exactly as `bench run` scores it locally), and hand
 * the folder back packed or through the shared results. The job folder is kept per job id under
 * the work folder, so a retried job resumes: a photo run continues from its checkpoint
 * (leftover-run.ts); a bench scene with a finished reconstruction is only scored, a scored one returned.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { reconstruct } from "../api/reconstruct.ts";
import { resume } from "../api/resume.ts";
import { PROGRAM, TARGET, TRUTH } from "../bench/generate.ts";
import { builtinMethods, resolveMethod } from "../bench/methods.ts";
import { runScene, sceneDir } from "../bench/run.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import { pathExists } from "../path-exists.ts";
import type { ProgressEvent } from "../run/progress.ts";
import type { InputFile, JobResult, PhotoJob, SceneJob } from "./job-data.ts";
import { LIVE_WAIT_MS, leftoverRun, waitWhileLive } from "./leftover-run.ts";
import { handBack, restoreFromResults } from "./result-folder.ts";

export interface JobContext {
  jobId: string;
  worker: string;
  /** Where this worker keeps job folders (inside its pool's writable folders). */
  workDir: string;
  pool: BlenderPool;
  models: (semantic: boolean) => MetricModels;
  progress: (event: ProgressEvent) => void;
  log: (line: string) => void;
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

export async function processSceneJob(job: SceneJob, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const root = path.join(ctx.workDir, ctx.jobId);
  const resolved = resolveMethod(builtinMethods(), job.method);
  if (!resolved) throw new InputError(`this worker has no method "${job.method}"`);
  const folder = sceneDir(root, job.scene);
  // An earlier attempt that lost its lock but runs on must finish before this one touches the folder.
  await waitWhileLive(folder, LIVE_WAIT_MS);
  const input = path.join(root, "input");
  const target = await inputPath(job.target, input, TARGET);
  let truth: string | null = null;
  if (job.truth !== null) {
    truth = path.join(input, TRUTH);
    await writeFile(truth, job.truth);
    if (job.truthProgram !== null) await writeFile(path.join(input, PROGRAM), job.truthProgram);
  }
  await restoreFromResults(job.delivery, ctx.jobId, folder);
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
  return handBack(folder, job.delivery, {
    jobId: ctx.jobId,
    worker: ctx.worker,
    started,
    label: `scene ${job.scene}`,
  });
}

export async function processPhotoJob(job: PhotoJob, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const root = path.join(ctx.workDir, ctx.jobId);
  const image = await inputPath(job.image, path.join(root, "input"), "photo.png");
  const runDir = path.join(root, "run");
  await restoreFromResults(job.delivery, ctx.jobId, runDir);
  const leftover = await leftoverRun(runDir);
  if (leftover !== "done") {
    let handle: ReturnType<typeof reconstruct>;
    if (leftover === "resumable") {
      ctx.log(`resuming ${ctx.jobId} from the checkpoint an earlier attempt left in ${runDir}`);
      ctx.progress({ type: "note", text: "resuming from an earlier attempt's checkpoint" });
      const { concurrency, sandbox } = job.settings;
      handle = await resume(runDir, { pool: ctx.pool, sandbox, ...(concurrency ? { concurrency } : {}) });
    } else {
      // Nothing to continue from (no checkpoint yet, or a damaged one): start again.
      await rm(runDir, { recursive: true, force: true });
      handle = reconstruct(image, { ...job.settings, outDir: runDir, pool: ctx.pool });
    }
    for await (const event of handle)
      if (!event.type.startsWith("run-")) ctx.progress(event as ProgressEvent);
    await handle.result;
  }
  return handBack(runDir, job.delivery, {
    jobId: ctx.jobId,
    worker: ctx.worker,
    started,
    label: `photo ${path.basename(image)}`,
  });
}
