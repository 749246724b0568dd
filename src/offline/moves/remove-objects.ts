/**
 * Geometry move: drop an object the target shows no sign of. An object is dropped only
 * when, over the pixels it changes in the render, the target looks much more like the
 * render without it than with it, and the loss falls too. A badly placed object is not
 * spurious (the target differs from both renders there); the composition stage moves it.
 */
import type { RgbImage } from "../../image/types.ts";
import { renderedImage } from "../spec-scoring.ts";
import { incumbentFrom, type Move, sceneOf, scoreWithinBudget } from "./edits.ts";

/** The target must be at least this much closer (mean error over the object's pixels) to the render without it. */
const SPURIOUS_RATIO = 0.5;

/** Mean absolute error of `a` and `b` against `target` over the pixels where `a` and `b` differ. */
export function footprintErrors(
  target: RgbImage,
  withIt: RgbImage,
  without: RgbImage,
): { withIt: number; without: number; pixels: number } {
  let pixels = 0;
  let errWith = 0;
  let errWithout = 0;
  for (let p = 0; p < target.width * target.height; p++) {
    let changed = 0;
    let ew = 0;
    let eo = 0;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      changed = Math.max(changed, Math.abs(withIt.data[i]! - without.data[i]!));
      ew += Math.abs(target.data[i]! - withIt.data[i]!);
      eo += Math.abs(target.data[i]! - without.data[i]!);
    }
    if (changed < 0.06) continue;
    pixels++;
    errWith += ew;
    errWithout += eo;
  }
  return { withIt: errWith / Math.max(1, pixels), without: errWithout / Math.max(1, pixels), pixels };
}

export const removeObjects: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec, render } = scene;
  const variants = spec.objects.map((obj) => ({
    ...spec,
    objects: spec.objects.filter((o) => o.name !== obj.name),
  }));
  const scored = await scoreWithinBudget(ctx, variants, inc.level);
  let best = inc;
  for (const s of scored) {
    if (!s.image || s.loss >= best.loss) continue;
    const e = footprintErrors(inc.level.target, render, await renderedImage(s));
    if (e.pixels > 0 && e.without < SPURIOUS_RATIO * e.withIt) best = incumbentFrom(s, inc.level);
  }
  return best;
};
