/**
 * The offline reconstruction method end to end: analysis → scaffold, the four stages in
 * the paper's order, a final render at the target's resolution, and the run folder
 * (program.py, final.png, stages/, metrics.json, run.json, report.html). No model, no
 * network: this is the baseline every VLM run is compared with, reported as "offline".
 */

import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { renderFinal } from "../agent/final-render.ts";
import { type ProgressSink, quietProgress } from "../agent/progress.ts";
import { type ReportRow, renderReport } from "../agent/report.ts";
import { createRunFolder, writeJson, writeStageOutputs } from "../agent/run-folder.ts";
import { BlenderPool } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { loadImage } from "../image/load.ts";
import { loadPhoto } from "../image/photo.ts";
import { resizeTo } from "../image/resize.ts";
import { saveImage } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { mse, psnrFromMse } from "../metrics/psnr.ts";
import { ssim } from "../metrics/ssim.ts";
import { emitProgram } from "../program/emit.ts";
import type { Stage } from "../program/sections.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import { BudgetMeter, type BudgetSpec } from "./budget.ts";
import { RenderEvaluator, type RenderLevel } from "./evaluator.ts";
import { initialise } from "./initialise.ts";
import { type Incumbent, tuneStage } from "./tune-stage.ts";

export interface OfflineOptions {
  image: string;
  outDir: string;
  budget: BudgetSpec;
  /** Longer side of the working resolution; coarse renders use half. */
  workingSide: number;
  seed: number;
  stages: readonly Stage[];
  concurrency: number;
  /** Longer side of the final render and the metrics (the target is downscaled to it, never upscaled). */
  finalSide: number;
  finalSamples: number;
  sandbox?: SandboxMode;
  /** Compute CLIP/DINO (may download models once; reported unavailable with the reason when they cannot load); LPIPS is always attempted. */
  semanticMetrics: boolean;
  progress?: ProgressSink;
  /** A pool to render with instead of starting one (the caller closes it). */
  pool?: BlenderPool;
  /** Cancels the run at its next render; the run throws RunInterrupted. */
  signal?: AbortSignal;
}

export const DEFAULT_OFFLINE: Omit<OfflineOptions, "image" | "outDir"> = {
  budget: { kind: "seconds", seconds: 75 },
  workingSide: 80,
  seed: 0,
  stages: ["geometry", "material", "composition", "lighting"],
  concurrency: Math.max(1, Math.min(2, os.availableParallelism())),
  finalSide: 512,
  finalSamples: 32,
  semanticMetrics: true,
};

export interface OfflineResult {
  outDir: string;
  finalLoss: number;
  renders: number;
  seconds: number;
  metrics: MetricReport;
}

/** Longer side of the image the analysis segments and fits colours on. */
const ANALYSIS_SIDE = 160;

function sizeFor(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(11, Math.round(img.width * scale)),
    height: Math.max(11, Math.round(img.height * scale)),
  };
}

async function levelsFor(target: RgbImage, workingSide: number): Promise<RenderLevel[]> {
  const fine = sizeFor(target, workingSide);
  const coarse = sizeFor(target, Math.max(24, Math.round(workingSide / 2)));
  return [
    { name: "coarse", target: await resizeTo(target, coarse.width, coarse.height), samples: 4 },
    { name: "working", target: await resizeTo(target, fine.width, fine.height), samples: 8 },
  ];
}

async function stageMetrics(level: RenderLevel, image: string | null): Promise<ReportRow["metrics"]> {
  if (!image) return { psnr: null, ssim: null };
  const render = await loadImage(image, { maxSide: 0 });
  return { psnr: psnrFromMse(mse(level.target, render)), ssim: ssim(level.target, render), loss: null };
}

export async function reconstructOffline(options: OfflineOptions): Promise<OfflineResult> {
  const started = Date.now();
  const progress = options.progress ?? quietProgress;
  const folder = await createRunFolder(options.outDir);
  const target = await loadPhoto(options.image, options.finalSide);
  const targetPng = path.join(folder.dir, "target.png");
  await saveImage(target, targetPng);
  progress({
    type: "run-start",
    method: "offline",
    image: options.image,
    outDir: folder.dir,
    stages: [...options.stages],
  });

  const levels = await levelsFor(target, options.workingSide);
  const analysisSize = sizeFor(target, ANALYSIS_SIDE);
  const analysis: RenderLevel = {
    name: "analysis",
    target: await resizeTo(target, analysisSize.width, analysisSize.height),
    samples: 8,
  };
  const pool =
    options.pool ??
    (await BlenderPool.start({
      size: options.concurrency,
      sandbox: options.sandbox,
      writableDirs: [folder.dir],
    }));
  const rows: ReportRow[] = [];
  const timings: Record<string, { seconds: number; renders: number; loss: number }> = {};
  try {
    const evaluator = new RenderEvaluator(pool, pool.workDir, options.seed, options.signal);
    const initStart = Date.now();
    const init = await initialise({ evaluator, analysis, working: levels.at(-1)!, progress });
    progress({
      type: "note",
      text: `scaffold: ${init.spec.objects.length} objects (${init.spec.objects.map((o) => o.name).join(", ")})`,
    });
    const source = emitProgram(init.spec, { source: path.basename(options.image) });
    let inc: Incumbent = { source, loss: init.best.loss, image: init.best.image, level: levels.at(-1)! };
    timings["scaffold"] = {
      seconds: (Date.now() - initStart) / 1000,
      renders: evaluator.renders,
      loss: inc.loss,
    };
    await writeStageOutputs(folder, "scaffold", inc.source, inc.image);
    rows.push({
      label: "scaffold",
      image: path.join(folder.stageDir("scaffold"), "best.png"),
      metrics: await stageMetrics(inc.level, inc.image),
    });

    const weights = options.stages.map((s) => STAGE_DEFINITIONS[s].roundBudget);
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    for (const [index, stage] of options.stages.entries()) {
      const stageStart = Date.now();
      const rendersBefore = evaluator.renders;
      progress({ type: "stage-start", stage, index, total: options.stages.length });
      const budget = BudgetMeter.share(options.budget, weights[index]! / totalWeight);
      inc = await tuneStage(
        { evaluator, budget, levels, seed: options.seed + index * 7919, progress, moves: true },
        STAGE_DEFINITIONS[stage],
        inc,
      );
      await writeStageOutputs(folder, stage, inc.source, inc.image);
      const seconds = (Date.now() - stageStart) / 1000;
      timings[stage] = { seconds, renders: evaluator.renders - rendersBefore, loss: inc.loss };
      rows.push({
        label: stage,
        image: inc.image ? path.join(folder.stageDir(stage), "best.png") : null,
        metrics: await stageMetrics(inc.level, inc.image),
      });
      progress({ type: "stage-end", stage, bestLoss: inc.loss, renders: timings[stage].renders, seconds });
    }

    const metrics = await renderFinal(pool, folder, inc.source, target, {
      samples: options.finalSamples,
      seed: options.seed,
      semanticMetrics: options.semanticMetrics,
    });
    await writeJson(folder.metrics, {
      method: "offline",
      final: metrics,
      stages: Object.fromEntries(rows.map((r) => [r.label, r.metrics])),
    });
    const seconds = (Date.now() - started) / 1000;
    await writeJson(folder.run, {
      method: "offline",
      image: path.resolve(options.image),
      settings: {
        ...options,
        progress: undefined,
        image: undefined,
        outDir: undefined,
        pool: undefined,
        signal: undefined,
      },
      seed: options.seed,
      versions: { seig: "0.1.0", node: process.version, blender: pool.blenderVersion },
      target: {
        width: target.width,
        height: target.height,
        originalWidth: target.originalWidth,
        originalHeight: target.originalHeight,
      },
      workingResolution: levels.map((l) => ({
        name: l.name,
        width: l.target.width,
        height: l.target.height,
        samples: l.samples,
      })),
      stages: timings,
      renders: evaluator.renders + 1,
      seconds,
      sandboxed: pool.sandboxed,
    });
    rows.push({
      label: "final",
      image: folder.final,
      metrics: { psnr: metrics.psnr, ssim: metrics.ssim, lpips: metrics.lpips },
    });
    await writeFile(
      folder.report,
      await renderReport({
        title: `seig reconstruct — ${path.basename(options.image)}`,
        method: "offline (classical analysis + CMA-ES; no VLM)",
        target: targetPng,
        rows,
        program: inc.source,
      }),
    );
    progress({
      type: "run-end",
      outDir: folder.dir,
      seconds,
      renders: evaluator.renders + 1,
      psnr: metrics.psnr,
    });
    return { outDir: folder.dir, finalLoss: inc.loss, renders: evaluator.renders + 1, seconds, metrics };
  } finally {
    if (!options.pool) await pool.close();
  }
}
