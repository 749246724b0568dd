/**
 * The offline reconstruction method end to end: analysis → scaffold, the four stages in
 * the paper's order, a final render at the target's resolution, and the run folder
 * (program.py, final.png, flat.png, stages/, metrics.json, run.json, report.html). No
 * model, no network: this is the baseline every VLM run is compared with, reported as
 * "offline".
 *
 * A new run claims its folder (a previous run there is replaced only with `force`), marks
 * run.json `running`, and works from its own copy of the photo (target.png), so that
 * `resumeOffline` continues an interrupted run from checkpoint.json to the very program the
 * run would have ended with.
 */

import path from "node:path";
import { type BlenderPool, DEFAULT_METHOD_WORKERS } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { InputError } from "../errors.ts";
import { loadPhoto } from "../image/photo.ts";
import { saveImage } from "../image/save.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import type { SceneKindChoice } from "../program/scene-kind.ts";
import { removeAbandonedTemps } from "../run/atomic.ts";
import type { FlatComparison } from "../run/flat-baseline.ts";
import { createRunFolder } from "../run/folder.ts";
import { newRunFolder } from "../run/folder-guard.ts";
import { resumeCommand } from "../run/interrupt.ts";
import { type ProgressSink, quietProgress } from "../run/progress.ts";
import { RunTracker } from "../run/record.ts";
import { readRunStatus } from "../run/status.ts";
import type { Stage } from "../stages/index.ts";
import { type BudgetSpec, formatBudget } from "./budget.ts";
import { freshCheckpoint, loadCheckpoint, type OfflineSettings, saveCheckpoint } from "./checkpoint.ts";
import { continueOffline } from "./offline-run.ts";

export interface OfflineOptions {
  image: string;
  outDir: string;
  /** Bounds the whole run: initialisation, the stages and the final render (see budget.ts). */
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
  /** The scaffold: `auto` lets the analysis choose (program/scene-kind.ts). */
  sceneKind: SceneKindChoice;
  progress?: ProgressSink;
  /** Replace a previous run in outDir (without it, such a folder is refused). */
  force?: boolean;
  /** Wall-clock cap of this invocation, in seconds: the run then ends with its best program so far. */
  timeLimitSeconds?: number;
  /** Aborting it stops the run between two batches of renders, resumable (run.json `interrupted`). */
  signal?: AbortSignal;
  /** A pool to render with instead of starting one (the caller closes it; its writable folders must include outDir). */
  pool?: BlenderPool;
}

/** How a run is carried out, as opposed to what it computes: none of it changes the program. */
export type OfflineRuntime = Pick<
  OfflineOptions,
  "concurrency" | "sandbox" | "progress" | "timeLimitSeconds" | "signal" | "pool"
>;

/**
 * 1500 renders take about 75–90 s for a 320×240 photo on an idle 2-core machine (what the
 * former 75-second default took), and the same renders on any machine under any load.
 */
export const DEFAULT_BUDGET_RENDERS = 1500;

export const DEFAULT_OFFLINE: Omit<OfflineOptions, "image" | "outDir"> = {
  budget: { kind: "renders", renders: DEFAULT_BUDGET_RENDERS },
  workingSide: 80,
  seed: 0,
  stages: ["geometry", "material", "composition", "lighting"],
  concurrency: DEFAULT_METHOD_WORKERS,
  finalSide: 512,
  finalSamples: 32,
  semanticMetrics: true,
  sceneKind: "auto",
};

export interface OfflineResult {
  outDir: string;
  finalLoss: number;
  renders: number;
  seconds: number;
  metrics: MetricReport;
  flat: FlatComparison;
}

function runtimeOf(options: OfflineRuntime): OfflineRuntime {
  return {
    concurrency: options.concurrency,
    sandbox: options.sandbox,
    progress: options.progress ?? quietProgress,
    timeLimitSeconds: options.timeLimitSeconds,
    signal: options.signal,
    pool: options.pool,
  };
}

export async function reconstructOffline(options: OfflineOptions): Promise<OfflineResult> {
  const settings: OfflineSettings = {
    image: path.resolve(options.image),
    budget: options.budget,
    workingSide: options.workingSide,
    seed: options.seed,
    stages: [...options.stages],
    finalSide: options.finalSide,
    finalSamples: options.finalSamples,
    semanticMetrics: options.semanticMetrics,
    sceneKind: options.sceneKind,
  };
  const { folder, input: target } = await newRunFolder(options.outDir, options.force ?? false, () =>
    loadPhoto(options.image, options.finalSide),
  );
  const record = await RunTracker.begin(folder.dir, "offline", resumeCommand(folder.dir), {
    image: settings.image,
    settings: { ...settings, budget: formatBudget(settings.budget) },
  });
  return record.track(async () => {
    await saveImage(target, path.join(folder.dir, "target.png"));
    const checkpoint = freshCheckpoint(settings, {
      width: target.originalWidth,
      height: target.originalHeight,
    });
    await saveCheckpoint(folder.dir, checkpoint);
    return continueOffline(folder, checkpoint, record, runtimeOf(options));
  });
}

/** Continues the interrupted offline run in `dir` (its settings come from its checkpoint). */
export async function resumeOffline(dir: string, runtime: OfflineRuntime): Promise<OfflineResult> {
  const reading = await readRunStatus(dir);
  if (reading.kind === "run" && reading.status === "running") {
    throw new InputError(`--resume ${dir}: the run is still in progress (pid ${reading.json.pid})`);
  }
  if (reading.kind === "run" && reading.status === "done") {
    throw new InputError(`--resume ${dir}: the run has already finished (run.json status done)`);
  }
  const checkpoint = await loadCheckpoint(dir);
  await removeAbandonedTemps(dir);
  const folder = await createRunFolder(dir);
  const record = await RunTracker.begin(folder.dir, "offline", resumeCommand(folder.dir), {
    image: checkpoint.settings.image,
    settings: { ...checkpoint.settings, budget: formatBudget(checkpoint.settings.budget) },
    resumed: true,
  });
  return record.track(() => continueOffline(folder, checkpoint, record, runtimeOf(runtime)));
}
