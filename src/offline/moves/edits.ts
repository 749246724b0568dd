/**
 * Shared machinery of the offline moves: scoring whole-scene edits of the incumbent at its
 * level, and accepting several independent edits (one per object) together when each
 * helps on its own and their combination helps too.
 */
import type { RgbImage } from "../../image/types.ts";
import { specFromProgram } from "../../program/emit.ts";
import type { SceneSpec } from "../../program/scene-spec.ts";
import type { RenderLevel } from "../evaluator.ts";
import { bestOf, renderedImage, type ScoredSpec, scoreSpecs } from "../spec-scoring.ts";
import type { Incumbent, StageContext } from "../tune-stage.ts";

export type Move = (ctx: StageContext, inc: Incumbent) => Promise<Incumbent>;

/** Scores specs in batches of the pool's size while the budget allows; the ones not scored are left out. */
export async function scoreWithinBudget(
  ctx: StageContext,
  specs: readonly SceneSpec[],
  level: RenderLevel,
): Promise<ScoredSpec[]> {
  const out: ScoredSpec[] = [];
  const n = ctx.evaluator.concurrency;
  for (
    let start = 0;
    start < specs.length && ctx.budget.fits(Math.min(n, specs.length - start));
    start += n
  ) {
    const batch = specs.slice(start, start + n);
    out.push(...(await scoreSpecs(ctx.evaluator, batch, level)));
    ctx.budget.spend(batch.length);
  }
  return out;
}

export function incumbentFrom(scored: ScoredSpec, level: RenderLevel): Incumbent {
  return { source: scored.source, loss: scored.loss, image: scored.image, level };
}

/** The incumbent's scene and pixels, or null when its program is not in emitProgram's form (a VLM's program). */
export async function sceneOf(inc: Incumbent): Promise<{ spec: SceneSpec; render: RgbImage } | null> {
  const spec = specFromProgram(inc.source);
  if (!spec || !inc.image) return null;
  return { spec, render: await renderedImage({ loss: inc.loss, image: inc.image, error: null }) };
}

/** A render of the incumbent's scene without its objects, at `level`. */
export async function backdropOf(
  ctx: StageContext,
  spec: SceneSpec,
  level: RenderLevel,
): Promise<RgbImage | null> {
  const [scored] = await scoreWithinBudget(ctx, [{ ...spec, objects: [] }], level);
  return scored?.image ? renderedImage(scored) : null;
}

/**
 * Tries `variants[k]` (each one independent edit of `spec`), keeps the edits that lower the
 * loss alone, and returns their combination when that is best, else the best single edit.
 */
export async function acceptIndependent(
  ctx: StageContext,
  inc: Incumbent,
  variants: readonly { spec: SceneSpec; apply: (s: SceneSpec) => SceneSpec }[],
  base: SceneSpec,
): Promise<Incumbent> {
  const scored = await scoreWithinBudget(
    ctx,
    variants.map((v) => v.spec),
    inc.level,
  );
  const better = scored.map((s, k) => ({ s, k })).filter(({ s }) => s.loss < inc.loss);
  if (better.length === 0) return inc;
  let best = bestOf(better.map(({ s }) => s));
  if (better.length > 1) {
    const combined = better.reduce((spec, { k }) => variants[k]!.apply(spec), base);
    const [both] = await scoreWithinBudget(ctx, [combined], inc.level);
    if (both && both.loss < best.loss) best = both;
  }
  return incumbentFrom(best, inc.level);
}
