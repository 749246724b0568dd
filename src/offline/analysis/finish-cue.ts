/**
 * Metal or rubber, judged on highlights. A rough dielectric shades smoothly: its brightest
 * pixels are a little above its typical ones. A metal mirrors its surroundings: dark
 * reflections beside a sharp, near-white highlight, so its brightest pixels sit far above its
 * median and its bright and dark ends far apart. Measured on generated CLEVR targets at the
 * analysis size (160 px): p99 − p50 of luminance ≥ 0.35 for every metal, ≤ 0.31 for rubber.
 *
 * Only a starting point: the material stage flips finishes by render-and-compare
 * (moves/finish.ts), so a wrong guess costs renders, not the result.
 */
import type { RgbImage } from "../../image/types.ts";
import { luminance } from "./colour.ts";
import type { Segment } from "./segment.ts";

export const RUBBER_FINISH = { roughness: 0.5, metallic: 0 } as const;
export const METAL_FINISH = { roughness: 0.2, metallic: 1 } as const;

/** Fewer pixels than this hold no reliable highlight. */
const MIN_PIXELS = 40;
const METAL_SCORE = 0.34;

/** The segment with the holes in each of its rows filled: a highlight is often a region of its own. */
export function filledRows(s: Segment, width: number): number[] {
  const span = new Map<number, [number, number]>();
  for (const i of s.pixels) {
    const x = i % width;
    const y = (i - x) / width;
    const [lo, hi] = span.get(y) ?? [x, x];
    span.set(y, [Math.min(lo, x), Math.max(hi, x)]);
  }
  const out: number[] = [];
  for (const [y, [lo, hi]] of span) for (let x = lo; x <= hi; x++) out.push(y * width + x);
  return out;
}

/** How metal-like the pixels look: p99 − p50 of luminance, plus a little for a wide bright/dark spread. */
export function highlightScore(img: RgbImage, pixels: readonly number[]): number {
  const l = pixels.map((i) => luminance([img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!]));
  l.sort((a, b) => a - b);
  const q = (f: number) => l[Math.floor(f * (l.length - 1))]!;
  const spread = q(0.95) / (q(0.05) + 0.01);
  return q(0.99) - q(0.5) + 0.1 * Math.max(0, spread - 1.5);
}

/** The finish a region's highlights suggest; rubber when the region is too small to tell. */
export function finishFromHighlights(img: RgbImage, s: Segment): typeof RUBBER_FINISH | typeof METAL_FINISH {
  const pixels = filledRows(s, img.width);
  if (pixels.length < MIN_PIXELS) return RUBBER_FINISH;
  return highlightScore(img, pixels) >= METAL_SCORE ? METAL_FINISH : RUBBER_FINISH;
}
