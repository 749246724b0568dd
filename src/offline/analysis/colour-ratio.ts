/**
 * Closed-form colours: a render is close to linear in albedo, so the ratio of the target's
 * linear light to the render's over the pixels showing a surface is the factor its colour
 * is off by. Shading, shadows and exposure cancel in the ratio; only the pixels must match.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneSpec } from "../../program/scene-spec.ts";
import type { Rgb3 } from "./colour.ts";
import { srgbToLinear } from "./colour.ts";
import { isShadowPixel } from "./foreground.ts";
import { objectLabels } from "./object-masks.ts";
import { residualMap } from "./residual.ts";

const MIN_PIXELS = 4;

/** Per-channel ratio of summed linear light, target over render, over `pixels`; null when too few. */
export function linearRatio(target: RgbImage, render: RgbImage, pixels: readonly number[]): Rgb3 | null {
  if (pixels.length < MIN_PIXELS) return null;
  const t = [0, 0, 0];
  const r = [0, 0, 0];
  for (const p of pixels)
    for (let c = 0; c < 3; c++) {
      t[c]! += srgbToLinear(target.data[p * 3 + c]!);
      r[c]! += srgbToLinear(render.data[p * 3 + c]!);
    }
  return [0, 1, 2].map((c) => (t[c]! + 1e-4) / (r[c]! + 1e-4)) as Rgb3;
}

function scaled(colour: readonly number[], ratio: Rgb3, max: number): Rgb3 {
  return [0, 1, 2].map((c) => Math.min(max, Math.max(0.005, colour[c]! * ratio[c]!))) as Rgb3;
}

function pixel(img: RgbImage, i: number): Rgb3 {
  return [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
}

/**
 * Object and ground colours corrected by the target/render ratio over the pixels each
 * shows in both images. `backdrop` is a render of the same scene without objects.
 */
export function ratioColours(
  spec: SceneSpec,
  target: RgbImage,
  render: RgbImage,
  backdrop: RgbImage,
): SceneSpec {
  const labels = objectLabels(spec, render, backdrop);
  const inTarget = residualMap(target, backdrop);
  const perObject: number[][] = spec.objects.map(() => []);
  const shaded: number[][] = spec.objects.map(() => []);
  const ground: number[] = [];
  for (let p = 0; p < labels.length; p++) {
    const k = labels[p]!;
    if (k < 0) {
      if (inTarget[p]! < 0.06) ground.push(p);
      continue;
    }
    if (inTarget[p]! < 0.06) continue;
    // Shadow-like pixels of an object are mostly its cast shadow; grey objects have only these.
    (isShadowPixel(pixel(render, p), pixel(backdrop, p)) ? shaded : perObject)[k]!.push(p);
  }
  const objects = spec.objects.map((o, k) => {
    const pixels = perObject[k]!.length >= MIN_PIXELS ? perObject[k]! : [...perObject[k]!, ...shaded[k]!];
    const ratio = linearRatio(target, render, pixels);
    return ratio ? { ...o, color: scaled(o.color, ratio, 1) } : o;
  });
  const groundRatio = spec.ground ? linearRatio(target, render, ground) : null;
  return {
    ...spec,
    objects,
    ground:
      spec.ground && groundRatio
        ? { ...spec.ground, color: scaled(spec.ground.color, groundRatio, 0.95) }
        : spec.ground,
  };
}
