/**
 * The library's functions on one scene program: render it, relight it, set its PARAMS, export it,
 * and compare two images. Each wraps the function the matching CLI command has always used, so
 * the CLI, the MCP server and a script all get the same checks and the same pixels.
 */
import { writeFile } from "node:fs/promises";
import { exportProgram } from "../apps/export.ts";
import { type Lighting, relightProgram, type SkyPreset } from "../apps/relight.ts";
import { renderViews } from "../apps/render-views.ts";
import { assertOnlyFactorChanged } from "../apps/scope-check.ts";
import { applyAssignments } from "../apps/set-params.ts";
import { scoreImages } from "../bench/image-score.ts";
import type { Fingerprint, ObjectStats } from "../blender/protocol.ts";
import { InputError } from "../errors.ts";
import { createMetricModels, type MetricModels } from "../metrics/metric-models.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import type { ParamValue } from "../program/parse.ts";
import { type Resolution, resolutionFor } from "../program/resolution.ts";
import { type PoolChoice, withPool } from "./pool-source.ts";
import { loadProgram, type ProgramRef } from "./program-ref.ts";

export interface RenderOptions extends PoolChoice {
  outDir: string;
  /** Both or neither; default: the program's render.resolution (its photo's size). */
  width?: number;
  height?: number;
  samples?: number;
  seed?: number;
  /** Orbit views around the scene besides the program's own camera. */
  views?: number;
  elevationDeg?: number;
}

export interface RenderResult {
  /** `render.png` (the program's camera) first, then `orbit_NN.png`. */
  images: { name: string; path: string }[];
  fingerprint: Fingerprint | null;
  objects: ObjectStats[];
  renderSeconds: number;
  blenderVersion: string;
}

export async function render(program: ProgramRef, options: RenderOptions): Promise<RenderResult> {
  const { source } = await loadProgram(program);
  return withPool(options, async (pool) => {
    const { images, reply } = await renderViews(pool, {
      source,
      outDir: options.outDir,
      ...resolutionFor(source, asked(options)),
      samples: options.samples,
      seed: options.seed,
      orbit: options.views ?? 0,
      elevationDeg: options.elevationDeg,
    });
    return {
      images,
      fingerprint: reply.fingerprint,
      objects: reply.objects,
      renderSeconds: reply.renderSeconds,
      blenderVersion: pool.blenderVersion,
    };
  });
}

export interface CompareOptions {
  /** Models to reuse across calls (the caller closes them); otherwise loaded for this call. */
  models?: MetricModels;
  /** Compute CLIP and DINO (default true; unavailable with the reason when their models cannot load). */
  semantic?: boolean;
  lpipsModel?: string;
}

/** Every image metric of `image` against `target`, at the target's resolution. */
export async function compare(
  target: string,
  image: string,
  options: CompareOptions = {},
): Promise<MetricReport> {
  if (options.models) return scoreImages(target, image, options.models);
  const models = createMetricModels({ semantic: options.semantic, lpipsModel: options.lpipsModel });
  try {
    return await scoreImages(target, image, models);
  } finally {
    await models.close();
  }
}

export interface RelightOptions extends PoolChoice {
  sky?: SkyPreset;
  sunElevationDeg?: number;
  sunAzimuthDeg?: number;
  sunStrength?: number;
  /** Linear RGB in [0, 1]. */
  sunColor?: [number, number, number];
  /** Also write the relit program here. */
  out?: string;
}

/** The relit program; fingerprints prove only the lighting changed (else a SeigError). */
export async function relight(program: ProgramRef, options: RelightOptions): Promise<string> {
  const { source } = await loadProgram(program);
  const overrides: Partial<Lighting> = {};
  if (options.sunElevationDeg !== undefined) overrides["sun.elevation_deg"] = options.sunElevationDeg;
  if (options.sunAzimuthDeg !== undefined) overrides["sun.azimuth_deg"] = options.sunAzimuthDeg;
  if (options.sunStrength !== undefined) overrides["sun.strength"] = options.sunStrength;
  if (options.sunColor) overrides["sun.color"] = options.sunColor;
  const relit = relightProgram(source, { sky: options.sky, overrides });
  await withPool(options, (pool) => assertOnlyFactorChanged(pool, source, relit, "lighting"));
  if (options.out) await writeFile(options.out, relit, "utf8");
  return relit;
}

/**
 * The program with PARAMS values set. A string value is read as on the command line (`#ff0000`
 * for a colour, `1,0,0` for a vector); other values must have the current value's shape.
 */
export async function setParams(
  program: ProgramRef,
  values: Readonly<Record<string, ParamValue>>,
): Promise<string> {
  const { source } = await loadProgram(program);
  const assignments = Object.entries(values).map(([key, value]) => ({
    key,
    text: typeof value === "string" ? value : JSON.stringify(value),
  }));
  return applyAssignments(source, assignments);
}

export interface ExportOptions extends PoolChoice {
  blend?: string;
  glb?: string;
  /** Both or neither: the frame saved (camera aspect, field of view); default the program's. */
  width?: number;
  height?: number;
}

/** Writes the .blend and/or .glb asked for, framed as the program's photo; returns the files written. */
export async function exportScene(program: ProgramRef, options: ExportOptions): Promise<string[]> {
  const { source } = await loadProgram(program);
  const request = { source, blend: options.blend, glb: options.glb, resolution: asked(options) };
  return withPool(options, (pool) => exportProgram(pool, request));
}

/** The size a caller asked for, when it gave both sides. */
function asked(options: { width?: number; height?: number }): Resolution | undefined {
  if (options.width === undefined && options.height === undefined) return undefined;
  if (options.width === undefined || options.height === undefined)
    throw new InputError("give both width and height, or neither for the program's own size");
  return { width: options.width, height: options.height };
}
