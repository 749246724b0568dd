/**
 * Where the photo differs from a render of what the scene explains so far (the background,
 * or the current reconstruction). Each row of the render is first scaled by the row's median
 * brightness ratio, so a slightly wrong ground gradient (pitch, exposure, grazing reflection)
 * does not show up as foreground: objects cover less than half of a row, so the median is
 * the ground's.
 */
import type { RgbImage } from "../../image/types.ts";
import { luminance, median, type Rgb3 } from "./colour.ts";

export function pixelAt(img: RgbImage, i: number): Rgb3 {
  return [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
}

function sameSize(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height)
    throw new RangeError(
      `residual needs images of one size, got ${a.width}×${a.height} and ${b.width}×${b.height}`,
    );
}

/** Per row: median of target / render luminance, clamped to [0.5, 2]. */
export function rowGains(target: RgbImage, render: RgbImage): Float32Array {
  sameSize(target, render);
  const gains = new Float32Array(target.height);
  for (let y = 0; y < target.height; y++) {
    const ratios: number[] = [];
    for (let x = 0; x < target.width; x++) {
      const i = y * target.width + x;
      ratios.push((luminance(pixelAt(target, i)) + 0.01) / (luminance(pixelAt(render, i)) + 0.01));
    }
    gains[y] = Math.min(2, Math.max(0.5, median(ratios)));
  }
  return gains;
}

/** Per pixel, the largest channel difference between the target and the row-gained render. */
export function residualMap(target: RgbImage, render: RgbImage): Float32Array {
  const gains = rowGains(target, render);
  const out = new Float32Array(target.width * target.height);
  for (let i = 0; i < out.length; i++) {
    const g = gains[Math.floor(i / target.width)]!;
    let m = 0;
    for (let c = 0; c < 3; c++)
      m = Math.max(m, Math.abs(target.data[i * 3 + c]! - g * render.data[i * 3 + c]!));
    out[i] = m;
  }
  return out;
}

export function residualMask(target: RgbImage, render: RgbImage, threshold: number): Uint8Array {
  return Uint8Array.from(residualMap(target, render), (v) => (v > threshold ? 1 : 0));
}
