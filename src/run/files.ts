/**
 * The run folder's JSON files as data: zod schemas for run.json and metrics.json, one writer
 * that validates before it writes (so the offline method, the agent and the MCP session cannot
 * drift apart again) and one reader that names the file and the field when it is malformed.
 * Both files are loose objects: each method adds its own extras (the agent's usage, the
 * offline method's budget) beside the shared fields.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseInput } from "../input-message.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import { SceneKindRecord } from "../program/scene-kind.ts";
import { writeJsonAtomic } from "./atomic.ts";
import { FlatComparison } from "./flat-baseline.ts";
import { OrbitViews } from "./orbit-views.ts";
import { StageRender } from "./stage-renders.ts";
import { RunState } from "./status.ts";

/** One render setting the search or the agent worked at; a list, coarse to fine. */
export const WorkingLevel = z.object({
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  samples: z.number().int().positive(),
});
export type WorkingLevel = z.infer<typeof WorkingLevel>;

/**
 * run.json. Written when a run starts (status running, src/run/record.ts) and completed when it
 * ends, so what it spent and what it made are there only once it got that far.
 */
export const RunRecord = z.looseObject({
  method: z.string(),
  image: z.string(),
  /** A run.json without it is from a version that wrote it only when a run was done. */
  status: RunState.optional(),
  versions: z.looseObject({ seig: z.string(), node: z.string(), blender: z.string() }).optional(),
  target: z.looseObject({ width: z.number().int(), height: z.number().int() }).optional(),
  workingResolution: z.array(WorkingLevel).optional(),
  renders: z.number().optional(),
  seconds: z.number().optional(),
  sandboxed: z.boolean().optional(),
  pid: z.number().int().optional(),
  host: z.string().optional(),
  heartbeatAt: z.string().optional(),
  stages: z.record(z.string(), z.looseObject({ renders: z.number().optional() })).optional(),
  /** Renders made for the report (stage renders at the photo's size, orbit views), not counted in `renders`. */
  reportRenders: z.object({ stages: z.number().int(), orbit: z.number().int() }).optional(),
  /** The kind of scene the scaffold was built as (offline runs), and why. */
  sceneKind: SceneKindRecord.optional(),
  /** views/orbit_NN.png around the final scene. */
  orbitViews: OrbitViews.optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** One stage's row in metrics.json (scaffold first, then the stages in order). */
export const StageMetrics = z.looseObject({
  psnr: z.number().nullable().optional(),
  ssim: z.number().nullable().optional(),
  loss: z.number().nullable().optional(),
});

export const MetricsFile = z.looseObject({
  method: z.string(),
  final: MetricReport,
  /** Absent in files written before the flat baseline existed. */
  flat: FlatComparison.optional(),
  stages: z.record(z.string(), StageMetrics),
  /**
   * Each stage's best program rendered as the final is (stages/<stage>/render.png) and scored at
   * the photo's resolution, so stage rows compare with `final`. Absent in older runs.
   */
  stageRenders: z.record(z.string(), StageRender).optional(),
});
export type MetricsFile = z.infer<typeof MetricsFile>;

async function writeChecked<T>(schema: z.ZodType<T>, file: string, value: T): Promise<void> {
  // A writer bug must fail here, loudly, rather than leave a file that readers reject later.
  await writeJsonAtomic(file, schema.parse(value));
}

export function writeRunJson(file: string, value: RunRecord): Promise<void> {
  return writeChecked(RunRecord, file, value);
}

export function writeMetricsJson(file: string, value: MetricsFile): Promise<void> {
  return writeChecked(MetricsFile, file, value);
}

/** A run file validated with its schema; null when the file does not exist. */
export async function readRunFile<T>(file: string, schema: z.ZodType<T>): Promise<T | null> {
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not valid JSON`);
  }
  return parseInput(schema, value, (key) => `${file} is not a seig run file: ${String(key ?? "(top)")}`);
}
