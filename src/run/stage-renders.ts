/**
 * Each stage's best program rendered as the final is: at the photo's resolution with the
 * final's samples and seed, through the sandboxed pool, saved as stages/<stage>/render.png and
 * scored with every metric at that one resolution. The search renders (best.png, 80 px by
 * default) are too small to show a stage's change and their PSNR is not comparable with the
 * final's; these are. A stage whose program is the final's, or an earlier stage's, is not
 * rendered again: its picture is copied (same program, samples and seed give the same pixels).
 */
import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { BlenderPool } from "../blender/pool.ts";
import { oneLine } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import type { RgbImage } from "../image/types.ts";
import { compareImages } from "../metrics/compare.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import { programBody } from "../program/assemble.ts";
import { withResolution } from "../program/resolution.ts";
import type { RunFolder } from "./folder.ts";

/** metrics.json `stageRenders.<stage>`. */
export const StageRender = z.object({
  /** stages/<stage>/render.png, relative to the run folder; null when it could not be made. */
  image: z.string().nullable(),
  /** Against target.png at the photo's resolution (metrics.width × metrics.height). */
  metrics: MetricReport.nullable(),
  /** "final" or an earlier stage whose program is the same: the picture was copied, not rendered. */
  sameAs: z.string().nullable(),
  /** Why there is no render (the stage's program is missing or failed); null when there is one. */
  error: z.string().nullable(),
});
export type StageRender = z.infer<typeof StageRender>;

export interface StageRenderInput {
  pool: BlenderPool;
  folder: RunFolder;
  /** In run order, scaffold first; stages without stages/<stage>/program.py are skipped. */
  stages: readonly string[];
  target: RgbImage;
  /** The final program as rendered (with the photo's resolution) and its render. */
  final: { source: string; image: string };
  samples: number;
  seed: number;
  models: MetricModels;
}

/** Names the scratch folders (a pool may render several runs at once). */
let counter = 0;

export async function renderStages(
  input: StageRenderInput,
): Promise<{ stages: Record<string, StageRender>; renders: number }> {
  const { folder, target } = input;
  const framedBy = new Map<string, string>([[input.final.source, "final"]]);
  const imageOf = new Map<string, string>([["final", input.final.image]]);
  const jobs: { stage: string; run: Promise<string> | null; sameAs: string | null; error: string | null }[] =
    [];
  let renders = 0;
  for (const stage of input.stages) {
    const source = await readFile(path.join(folder.stageDir(stage), "program.py"), "utf8").catch(() => null);
    if (source === null) continue;
    let framed: string;
    try {
      framed = withResolution(source, target);
    } catch (e) {
      jobs.push({ stage, run: null, sameAs: null, error: oneLine(e) });
      continue;
    }
    const sameAs = framedBy.get(framed) ?? null;
    if (sameAs) {
      jobs.push({ stage, run: null, sameAs, error: null });
      continue;
    }
    framedBy.set(framed, stage);
    renders++;
    const run = renderOne(input, framed, stage);
    // Failures are read below, per stage; this keeps an early one from going unhandled meanwhile.
    run.catch(() => {});
    jobs.push({ stage, run, sameAs: null, error: null });
  }
  const stages: Record<string, StageRender> = {};
  for (const job of jobs) {
    const file = path.join(folder.stageDir(job.stage), "render.png");
    const relative = path.relative(folder.dir, file);
    let error = job.error;
    try {
      if (job.run) imageOf.set(job.stage, await job.run);
      else if (job.sameAs) {
        const source = imageOf.get(job.sameAs);
        if (!source) throw new Error(`same program as ${job.sameAs}, whose render failed`);
        await copyFile(source, file);
      }
    } catch (e) {
      error = oneLine(e);
    }
    if (error) {
      stages[job.stage] = { image: null, metrics: null, sameAs: null, error };
      continue;
    }
    // One stage at a time: LPIPS and the semantic models are not re-entrant.
    const metrics = await compareImages(target, await loadImage(file, { maxSide: 0 }), input.models);
    stages[job.stage] = { image: relative, metrics, sameAs: job.sameAs, error: null };
  }
  return { stages, renders };
}

async function renderOne(input: StageRenderInput, framed: string, stage: string): Promise<string> {
  const { pool, target } = input;
  const outDir = path.join(pool.workDir, `stage-${path.basename(input.folder.dir)}-${++counter}`);
  const reply = await pool.run({
    body: programBody(framed),
    outDir,
    fingerprint: false,
    render: {
      width: target.width,
      height: target.height,
      samples: input.samples,
      seed: input.seed,
      views: [{ name: stage }],
    },
  });
  if (!reply.ok || !reply.images[0])
    throw new Error(`the render failed: ${reply.error?.message ?? "no image"}`);
  const file = path.join(input.folder.stageDir(stage), "render.png");
  await copyFile(reply.images[0].path, file);
  return file;
}
