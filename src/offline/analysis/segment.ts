/**
 * Splits the foreground into object regions: pixels that differ from the row's background
 * colour, grown into regions of smoothly varying colour (shading on a sphere varies
 * smoothly; a region stops at colour edges), then adjacent regions of one hue merged (the
 * faces of a cube differ in brightness, not in hue), tiny regions dropped, and shadow-like
 * regions (darker ground of the ground's hue) removed.
 */
import type { RgbImage } from "../../image/types.ts";
import type { Background } from "./background.ts";
import { chromaticity, luminance, maxAbsDiff, type Rgb3 } from "./colour.ts";

export interface Segment {
  /** Pixel indices (y · width + x). */
  pixels: number[];
  /** Inclusive pixel bounds. */
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** Mean sRGB colour. */
  mean: Rgb3;
}

export interface SegmentOptions {
  /** How far (max over channels, sRGB) a pixel must be from its row's background to be foreground. */
  foregroundThreshold: number;
  /** Largest colour step between neighbours inside one region. */
  edgeThreshold: number;
  /** Regions smaller than this fraction of the image are noise. */
  minAreaFraction: number;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = {
  foregroundThreshold: 0.1,
  edgeThreshold: 0.09,
  minAreaFraction: 0.002,
};

function pixel(img: RgbImage, i: number): Rgb3 {
  return [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
}

export function foregroundMask(img: RgbImage, bg: Background, threshold: number): Uint8Array {
  const mask = new Uint8Array(img.width * img.height);
  for (let y = Math.max(bg.horizonRow, 0); y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      if (maxAbsDiff(pixel(img, i), bg.rows[y]!) > threshold) mask[i] = 1;
    }
  }
  return mask;
}

function neighbours(i: number, w: number, h: number): number[] {
  const x = i % w;
  const y = (i - x) / w;
  const out: number[] = [];
  if (x > 0) out.push(i - 1);
  if (x + 1 < w) out.push(i + 1);
  if (y > 0) out.push(i - w);
  if (y + 1 < h) out.push(i + w);
  return out;
}

/** Region growing over the mask: a label per pixel (0 = background). */
function growRegions(img: RgbImage, mask: Uint8Array, edgeThreshold: number): Int32Array {
  const labels = new Int32Array(mask.length);
  let next = 0;
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || labels[seed]) continue;
    labels[seed] = ++next;
    const stack = [seed];
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (const j of neighbours(i, img.width, img.height)) {
        if (mask[j] && !labels[j] && maxAbsDiff(pixel(img, i), pixel(img, j)) < edgeThreshold) {
          labels[j] = next;
          stack.push(j);
        }
      }
    }
  }
  return labels;
}

/** Union–find over labels. */
function createUnion(size: number): { find: (a: number) => number; join: (a: number, b: number) => void } {
  const parent = Array.from({ length: size }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const join = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  return { find, join };
}

function collect(img: RgbImage, labels: Int32Array): Map<number, Segment> {
  const segments = new Map<number, Segment>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!label) continue;
    const x = i % img.width;
    const y = (i - x) / img.width;
    let s = segments.get(label);
    if (!s) {
      s = { pixels: [], minX: x, maxX: x, minY: y, maxY: y, mean: [0, 0, 0] };
      segments.set(label, s);
    }
    s.pixels.push(i);
    s.minX = Math.min(s.minX, x);
    s.maxX = Math.max(s.maxX, x);
    s.minY = Math.min(s.minY, y);
    s.maxY = Math.max(s.maxY, y);
    const p = pixel(img, i);
    for (let c = 0; c < 3; c++) s.mean[c]! += p[c]!;
  }
  for (const s of segments.values()) s.mean = s.mean.map((v) => v / s.pixels.length) as Rgb3;
  return segments;
}

/** Joins touching regions of one hue, so the differently lit faces of one object become one region. */
function mergeSameHue(img: RgbImage, labels: Int32Array, segments: Map<number, Segment>): Int32Array {
  const union = createUnion(Math.max(0, ...segments.keys()) + 1);
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!;
    if (!a) continue;
    for (const j of neighbours(i, img.width, img.height)) {
      const b = labels[j]!;
      if (!b || b === a || union.find(a) === union.find(b)) continue;
      const ca = segments.get(a)!.mean;
      const cb = segments.get(b)!.mean;
      if (maxAbsDiff(chromaticity(ca), chromaticity(cb)) < 0.035) union.join(a, b);
    }
  }
  return labels.map((l) => (l ? union.find(l) : 0));
}

/** Darker than the ground beside it, with the ground's hue: a cast shadow, not an object. */
function isShadow(s: Segment, bg: Background): boolean {
  const row = bg.rows[Math.round((s.minY + s.maxY) / 2)]!;
  const ratio = luminance(s.mean) / Math.max(luminance(row), 1e-3);
  return ratio > 0.25 && ratio < 0.8 && maxAbsDiff(chromaticity(s.mean), chromaticity(row)) < 0.02;
}

export function segmentObjects(
  img: RgbImage,
  bg: Background,
  options: SegmentOptions = DEFAULT_SEGMENT_OPTIONS,
): Segment[] {
  const mask = foregroundMask(img, bg, options.foregroundThreshold);
  const grown = growRegions(img, mask, options.edgeThreshold);
  const merged = mergeSameHue(img, grown, collect(img, grown));
  const minArea = Math.max(4, options.minAreaFraction * img.width * img.height);
  return [...collect(img, merged).values()]
    .filter((s) => s.pixels.length >= minArea && !isShadow(s, bg))
    .sort((a, b) => b.pixels.length - a.pixels.length);
}
