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

/**
 * Specs scored at once by a move. A constant, not the pool's size: where a move stops when
 * the budget runs out must not depend on how many workers render (the pool queues the rest).
 */
const MOVE_BATCH = 8;

/** Scores specs in batches while the budget allows; the ones not scored are left out. */
export async function scoreWithinBudget(
  ctx: StageContext,
  specs: readonly SceneSpec[],
  level: RenderLevel,
): Promise<ScoredSpec[]> {
  const out: ScoredSpec[] = [];
  const n = MOVE_BATCH;
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

/** One edit of a scene: the edited scene, and the edit applied to another scene. Edits with one `key` (one object's alternatives) exclude each other. */
export interface Variant {
  spec: SceneSpec;
  apply: (s: SceneSpec) => SceneSpec;
  key?: string;
}

/**
 * Tries `variants[k]` (independent edits of `spec`), keeps the edits that lower the loss
 * alone (by at least `minGain` of it), and returns the combination of the best edit per key
 * when that is best, else the best single edit.
 */
export async function acceptIndependent(
  ctx: StageContext,
  inc: Incumbent,
  variants: readonly Variant[],
  base: SceneSpec,
  minGain = 0,
): Promise<Incumbent> {
  const scored = await scoreWithinBudget(
    ctx,
    variants.map((v) => v.spec),
    inc.level,
  );
  const better = scored.map((s, k) => ({ s, k })).filter(({ s }) => s.loss < inc.loss * (1 - minGain));
  if (better.length === 0) return inc;
  let best = bestOf(better.map(({ s }) => s));
  const perKey = new Map<string, { s: ScoredSpec; k: number }>();
  for (const b of better) {
    const key = variants[b.k]!.key ?? String(b.k);
    const held = perKey.get(key);
    if (!held || b.s.loss < held.s.loss) perKey.set(key, b);
  }
  if (perKey.size > 1) {
    const combined = [...perKey.values()].reduce((spec, { k }) => variants[k]!.apply(spec), base);
    const [all] = await scoreWithinBudget(ctx, [combined], inc.level);
    if (all && all.loss < best.loss) best = all;
  }
  return incumbentFrom(best, inc.level);
}
