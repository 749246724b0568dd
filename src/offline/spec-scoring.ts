/**
 * Scoring whole scenes (SceneSpecs) rather than PARAMS overrides: what the initialisation
 * and the structural moves propose. Candidates of a batch render in parallel.
 */
import { SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import type { RgbImage } from "../image/types.ts";
import { programBody } from "../program/assemble.ts";
import { emitProgram } from "../program/emit.ts";
import type { SceneSpec } from "../program/scene-spec.ts";
import type { RenderEvaluator, RenderLevel, Scored } from "./evaluator.ts";

export interface ScoredSpec extends Scored {
  spec: SceneSpec;
  source: string;
}

export async function scoreSpecs(
  evaluator: RenderEvaluator,
  specs: readonly SceneSpec[],
  level: RenderLevel,
): Promise<ScoredSpec[]> {
  const sources = specs.map((s) => emitProgram(s));
  const scored = await evaluator.score(
    sources.map((s) => ({ body: programBody(s), params: {} })),
    level,
  );
  return scored.map((s, i) => ({ ...s, spec: specs[i]!, source: sources[i]! }));
}

export function bestOf<T extends Scored>(scored: readonly T[]): T {
  return scored.reduce((best, s) => (s.loss < best.loss ? s : best));
}

/** The rendered pixels of a scored candidate (a failed render is an error here: callers render known-good scenes). */
export async function renderedImage(scored: Scored): Promise<RgbImage> {
  if (!scored.image)
    throw new SeigError(`a render of a known-good scene failed: ${scored.error ?? "no image"}`);
  return loadImage(scored.image, { maxSide: 0 });
}
