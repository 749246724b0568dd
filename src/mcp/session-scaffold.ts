/**
 * The program a session starts from: one the assistant brings (a path or text), or the offline
 * method's scaffold — classical analysis of the photo fitted by render-and-compare, the same
 * initialisation `seig reconstruct` uses — so a session needs no model on seig's side.
 */

import type { BlenderPool } from "../blender/pool.ts";
import { resizeTo } from "../image/resize.ts";
import type { RgbImage } from "../image/types.ts";
import { RenderEvaluator } from "../offline/evaluator.ts";
import { initialise } from "../offline/initialise.ts";
import { withCanonicalFooter } from "../program/assemble.ts";
import { emitProgram } from "../program/emit.ts";
import { quietProgress } from "../run/progress.ts";

/** Longer side of the image the offline analysis segments (as in src/offline/reconstruct.ts). */
const ANALYSIS_SIDE = 160;

function scaled(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(11, Math.round(img.width * scale)),
    height: Math.max(11, Math.round(img.height * scale)),
  };
}

export async function offlineScaffold(
  pool: BlenderPool,
  target: RgbImage,
  working: RgbImage,
  seed: number,
  photoName: string,
): Promise<string> {
  const size = scaled(target, ANALYSIS_SIDE);
  const init = await initialise({
    evaluator: new RenderEvaluator(pool, pool.workDir, seed),
    analysis: { name: "analysis", target: await resizeTo(target, size.width, size.height), samples: 8 },
    working: { name: "working", target: working, samples: 8 },
    progress: quietProgress,
  });
  return withCanonicalFooter(emitProgram(init.spec, { source: photoName }));
}
