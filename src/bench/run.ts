/**
 * `seig bench run`: reconstruct every scene of a benchmark folder with one method, then
 * score it — image metrics for every scene, 3D errors where there is ground truth. Each
 * scene's result is kept in `<out>/scenes/<id>/score.json`, so an interrupted run resumes
 * where it stopped; a reconstruction already finished is scored without redoing it.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { BlenderPool } from "../blender/pool.ts";
import { oneLine } from "../errors.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import { pathExists } from "../path-exists.ts";
import { MetricsFile, RunRecord, readRunFile } from "../run/files.ts";
import { Errors3d } from "./errors3d.ts";
import { PROGRAM } from "./generate.ts";
import { FINAL_RENDER, scoreImages } from "./image-score.ts";
import type { Method, MethodOptions } from "./methods.ts";
import { errors3dValues, programErrors3d } from "./program-errors.ts";
import type { BenchSceneEntry } from "./scenes.ts";
import type { RowValues, TableRow } from "./table.ts";

export const SCORE_FILE = "score.json";
const TIMING_FILE = "bench-timing.json";

/** How a metric developed over a reconstruction (from the method's run.json, when it records it). */
export const StagePoint = z.object({
  stage: z.string(),
  renders: z.number().nullable(),
  psnr: z.number().nullable(),
});
export type StagePoint = z.infer<typeof StagePoint>;

export const SceneScore = z.object({
  scene: z.string(),
  target: z.string(),
  render: z.string().nullable(),
  values: z.record(z.string(), z.number().nullable()),
  metrics: MetricReport.nullable(),
  /** Scores written before the camera-space errors do not parse, so their scenes are rescored. */
  errors3d: Errors3d.nullable(),
  stages: z.array(StagePoint),
  error: z.string().optional(),
});
export type SceneScore = z.infer<typeof SceneScore>;

export interface BenchRunOptions {
  outDir: string;
  method: Method;
  methodOptions: Omit<MethodOptions, "pool">;
  pool: BlenderPool;
  models: MetricModels;
  /** Scenes reconstructed at the same time. */
  concurrency: number;
  onSceneDone?: (score: SceneScore, resumed: boolean) => void;
}

export function sceneDir(outDir: string, id: string): string {
  return path.join(outDir, "scenes", id);
}

/**
 * What a method's run.json and metrics.json say about cost and progress (run.json `renders` and
 * `stages.<stage>.renders`, metrics.json `stages.<label>.psnr` in stage order), read with the run
 * layer's schemas: a missing file leaves its part absent, a malformed one is an error naming it.
 */
async function methodRunInfo(dir: string): Promise<{ renders: number | null; stages: StagePoint[] }> {
  const run = await readRunFile(path.join(dir, "run.json"), RunRecord);
  const metrics = await readRunFile(path.join(dir, "metrics.json"), MetricsFile);
  const stageRenders = run?.stages ?? {};
  let spent = 0;
  const stages = Object.entries(metrics?.stages ?? {}).map(([stage, m]) => {
    // The scaffold costs one render; each stage adds what it spent.
    spent += stageRenders[stage]?.renders ?? (stage === "scaffold" ? 1 : 0);
    return { stage, renders: spent, psnr: m.psnr ?? null };
  });
  return { renders: run?.renders || null, stages };
}

/** Scores a finished reconstruction folder against a scene. */
export async function scoreScene(
  scene: BenchSceneEntry,
  dir: string,
  pool: BlenderPool,
  models: MetricModels,
  seconds: number | null,
): Promise<SceneScore> {
  const render = path.join(dir, FINAL_RENDER);
  const metrics = await scoreImages(scene.target, render, models);
  const info = await methodRunInfo(dir);
  const values: RowValues = {
    psnr: metrics.psnr,
    ssim: metrics.ssim,
    lpips: metrics.lpips,
    clip: metrics.clip,
    dino: metrics.dino,
    renders: info.renders,
    seconds,
  };
  let e3d: Errors3d | null = null;
  const program = path.join(dir, PROGRAM);
  if (scene.truth && (await pathExists(program))) {
    e3d = await programErrors3d(pool, scene.truth, program, { cacheDir: dir });
    Object.assign(values, errors3dValues(e3d));
  }
  return {
    scene: scene.id,
    target: scene.target,
    render,
    values,
    metrics,
    errors3d: e3d,
    stages: info.stages,
  };
}

/** One scene: resumes from its score.json or final.png when present (a queue worker runs this too). */
export async function runScene(
  scene: BenchSceneEntry,
  options: BenchRunOptions,
): Promise<{ score: SceneScore; resumed: boolean }> {
  const dir = sceneDir(options.outDir, scene.id);
  const scoreFile = path.join(dir, SCORE_FILE);
  const previous = await readFile(scoreFile, "utf8").catch(() => null);
  if (previous) {
    const parsed = SceneScore.safeParse(JSON.parse(previous));
    // Failed scenes are retried; finished ones are kept.
    if (parsed.success && !parsed.data.error) return { score: parsed.data, resumed: true };
  }
  await mkdir(dir, { recursive: true });
  let score: SceneScore;
  try {
    let seconds: number | null = null;
    if (await pathExists(path.join(dir, FINAL_RENDER))) {
      const timing = await readFile(path.join(dir, TIMING_FILE), "utf8").catch(() => null);
      seconds = timing ? (JSON.parse(timing) as { seconds: number }).seconds : null;
    } else {
      const started = performance.now();
      await options.method(scene.target, dir, { ...options.methodOptions, pool: options.pool });
      seconds = (performance.now() - started) / 1000;
      await writeFile(path.join(dir, TIMING_FILE), JSON.stringify({ seconds }));
    }
    score = await scoreScene(scene, dir, options.pool, options.models, seconds);
  } catch (e) {
    score = {
      scene: scene.id,
      target: scene.target,
      render: null,
      values: {},
      metrics: null,
      errors3d: null,
      stages: [],
      error: oneLine(e),
    };
  }
  await writeFile(scoreFile, `${JSON.stringify(score, null, 2)}\n`);
  return { score, resumed: false };
}

/** Runs the scenes, at most `concurrency` at a time, and returns their scores in scene order. */
export async function runBench(
  scenes: readonly BenchSceneEntry[],
  options: BenchRunOptions,
): Promise<SceneScore[]> {
  const scores: SceneScore[] = new Array(scenes.length);
  let next = 0;
  const worker = async () => {
    while (next < scenes.length) {
      const index = next++;
      const { score, resumed } = await runScene(scenes[index]!, options);
      scores[index] = score;
      options.onSceneDone?.(score, resumed);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, scenes.length)) }, worker),
  );
  return scores;
}

export function tableRows(scores: readonly SceneScore[]): TableRow[] {
  return scores.map((s) => ({ scene: s.scene, values: s.values, ...(s.error ? { error: s.error } : {}) }));
}
