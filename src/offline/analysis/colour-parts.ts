/**
 * A region of clearly different colours cut into parts of one colour each: a hat on a head
 * or a lamp's shade on its arm grow into one region when a shaded edge joins them, and one
 * extrusion of one colour shows neither. Two-means in sRGB, split again while a part still
 * holds two colours, up to MAX_PARTS; each part's connected pieces are parts of their own,
 * crumbs left out.
 */
import type { RgbImage } from "../../image/types.ts";
import { luminance, maxAbsDiff, type Rgb3 } from "./colour.ts";
import { components, pixel } from "./mask.ts";

/** Two colours this far apart (sRGB, max over channels) are two parts. */
const SPLIT_STEP = 0.2;
/** Each side of a split holds at least this share of the region. */
const MIN_SHARE = 0.1;
const MAX_PARTS = 3;
/** A piece of a part smaller than this share of the region stays with its neighbours. */
const MIN_PIECE_SHARE = 0.03;
const ITERATIONS = 8;

function meanOf(img: RgbImage, pixels: readonly number[]): Rgb3 {
  const sum: Rgb3 = [0, 0, 0];
  for (const i of pixels) for (let c = 0; c < 3; c++) sum[c] += img.data[i * 3 + c]!;
  return sum.map((v) => v / Math.max(1, pixels.length)) as Rgb3;
}

const squared = (a: Rgb3, b: Rgb3) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;

/** The two-means split of the pixels (seeded at the 10th and 90th luminance percentiles), or null when they are one colour. */
function twoMeans(img: RgbImage, pixels: readonly number[], minSize: number): [number[], number[]] | null {
  const byLuminance = [...pixels].sort((a, b) => luminance(pixel(img, a)) - luminance(pixel(img, b)));
  let centres: [Rgb3, Rgb3] = [
    pixel(img, byLuminance[Math.floor(0.1 * (byLuminance.length - 1))]!),
    pixel(img, byLuminance[Math.floor(0.9 * (byLuminance.length - 1))]!),
  ];
  let sides: [number[], number[]] = [[], []];
  for (let k = 0; k < ITERATIONS; k++) {
    sides = [[], []];
    for (const i of pixels) {
      const p = pixel(img, i);
      sides[squared(p, centres[0]) <= squared(p, centres[1]) ? 0 : 1].push(i);
    }
    centres = [meanOf(img, sides[0]), meanOf(img, sides[1])];
  }
  const apart = maxAbsDiff(centres[0], centres[1]) >= SPLIT_STEP;
  return apart && Math.min(sides[0].length, sides[1].length) >= minSize ? sides : null;
}

/** The pixels' connected pieces of at least `minSize` pixels. */
function pieces(pixels: readonly number[], width: number, height: number, minSize: number): number[][] {
  const mask = new Uint8Array(width * height);
  for (const i of pixels) mask[i] = 1;
  return components(mask, width, height).filter((c) => c.length >= minSize);
}

/** The region's pixels as parts of one colour each (the region itself when it is one colour). */
export function colourParts(img: RgbImage, pixels: readonly number[]): number[][] {
  const minSide = MIN_SHARE * pixels.length;
  const minPiece = MIN_PIECE_SHARE * pixels.length;
  let parts: number[][] = [[...pixels]];
  while (parts.length < MAX_PARTS) {
    const splits = parts.map((p) => twoMeans(img, p, minSide));
    const k = splits.findIndex((s) => s !== null);
    if (k < 0) break;
    parts = [...parts.slice(0, k), ...splits[k]!, ...parts.slice(k + 1)];
  }
  if (parts.length === 1) return parts;
  // Crumbs (a shaded edge, a highlight) are no parts: they are left out.
  const kept = parts.flatMap((p) => pieces(p, img.width, img.height, minPiece));
  return kept.length > 0 ? kept : [[...pixels]];
}
