/**
 * Splits the foreground into object regions. Foreground is where the photo differs from a
 * render of the background alone (see residual.ts), minus cast shadows (the background's
 * hue, darkened by the ratio the coloured objects' shadows show). It is grown into regions
 * of smoothly varying colour (shading on a sphere varies smoothly; a region stops at colour
 * edges), then regions that are one object merged (the faces of a cube differ in
 * brightness, not in hue; a metal's reflection sits at its foot), and tiny or faint regions
 * dropped. A grey object as dark as a shadow is missed here; the geometry stage adds it back
 * from the residual once shadows are rendered.
 */
import type { RgbImage } from "../../image/types.ts";
import { chromaticity, maxAbsDiff, type Rgb3 } from "./colour.ts";
import { foregroundMask } from "./foreground.ts";
import { neighbours, pixel } from "./mask.ts";
import { residualMap } from "./residual.ts";

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
  /** How far (max over channels, sRGB) a pixel must be from the background render to be foreground. */
  foregroundThreshold: number;
  /** Largest colour step between neighbours inside one region. */
  edgeThreshold: number;
  /** Regions smaller than this fraction of the image are noise. */
  minAreaFraction: number;
  /**
   * Whether darker patches of the background's hue may be cast shadows (dropped). A backdrop
   * (the world behind an object) takes no shadow, so there they are grey parts.
   */
  castShadows: boolean;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = {
  foregroundThreshold: 0.08,
  edgeThreshold: 0.09,
  minAreaFraction: 0.002,
  castShadows: true,
};

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

/** The segment made of `pixels` of `img`. */
export function segmentOf(img: RgbImage, pixels: number[]): Segment {
  const xs = pixels.map((i) => i % img.width);
  const ys = pixels.map((i) => Math.floor(i / img.width));
  const mean = [0, 1, 2].map(
    (c) => pixels.reduce((a, i) => a + img.data[i * 3 + c]!, 0) / pixels.length,
  ) as Rgb3;
  return {
    pixels,
    minX: Math.min(...xs),
    maxX: Math.max(...xs),
    minY: Math.min(...ys),
    maxY: Math.max(...ys),
    mean,
  };
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

function boxOverlap(a: Segment, b: Segment): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX) + 1;
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY) + 1;
  if (w <= 0 || h <= 0) return 0;
  const area = (s: Segment) => (s.maxX - s.minX + 1) * (s.maxY - s.minY + 1);
  return (w * h) / Math.min(area(a), area(b));
}

/**
 * A region at most this share of another's pixels, its box mostly inside the other's and
 * reaching down to the other's foot, is part of it whatever its hue (a metal's dark lower
 * half, its reflection on the ground); a small object behind a larger one sits higher.
 */
const FRAGMENT_SHARE = 0.25;
const FRAGMENT_BOX_OVERLAP = 0.6;
const FRAGMENT_FOOT_BAND = 0.15;

/** Whether two regions are one object: one hue and mostly overlapping boxes, or a fragment at a larger one's foot. */
function oneObject(a: Segment, b: Segment): boolean {
  const overlap = boxOverlap(a, b);
  if (overlap >= 0.5 && maxAbsDiff(chromaticity(a.mean), chromaticity(b.mean)) <= 0.05) return true;
  const [small, large] = a.pixels.length < b.pixels.length ? [a, b] : [b, a];
  return (
    overlap >= FRAGMENT_BOX_OVERLAP &&
    small.pixels.length <= FRAGMENT_SHARE * large.pixels.length &&
    small.maxY >= large.maxY - FRAGMENT_FOOT_BAND * (large.maxY - large.minY + 1)
  );
}

/** Joins regions that are one object: split by a highlight, a dark band or a reflection. */
function mergeOverlapping(segments: Segment[]): Segment[] {
  const out = [...segments];
  for (let merged = true; merged; ) {
    merged = false;
    for (let a = 0; a < out.length && !merged; a++) {
      for (let b = a + 1; b < out.length && !merged; b++) {
        const sa = out[a]!;
        const sb = out[b]!;
        if (!oneObject(sa, sb)) continue;
        const n = sa.pixels.length + sb.pixels.length;
        out[a] = {
          pixels: [...sa.pixels, ...sb.pixels],
          minX: Math.min(sa.minX, sb.minX),
          maxX: Math.max(sa.maxX, sb.maxX),
          minY: Math.min(sa.minY, sb.minY),
          maxY: Math.max(sa.maxY, sb.maxY),
          mean: [0, 1, 2].map(
            (c) => (sa.mean[c]! * sa.pixels.length + sb.mean[c]! * sb.pixels.length) / n,
          ) as Rgb3,
        };
        out.splice(b, 1);
        merged = true;
      }
    }
  }
  return out;
}

/** Object regions where `mask` is set, largest first. */
export function segmentMask(
  img: RgbImage,
  mask: Uint8Array,
  options: SegmentOptions = DEFAULT_SEGMENT_OPTIONS,
): Segment[] {
  const grown = growRegions(img, mask, options.edgeThreshold);
  const merged = mergeSameHue(img, grown, collect(img, grown));
  const minArea = Math.max(4, options.minAreaFraction * img.width * img.height);
  return mergeOverlapping([...collect(img, merged).values()].filter((s) => s.pixels.length >= minArea / 3))
    .filter((s) => s.pixels.length >= minArea)
    .sort((a, b) => b.pixels.length - a.pixels.length);
}

/** Regions smaller than this many times the smallest region are kept only when they stand out this much (mean residual). */
const FRAGMENT_AREA_FACTOR = 4;
const FRAGMENT_MIN_CONTRAST = 0.3;

/**
 * Object regions of `img` against a render of its background, largest first. Small regions
 * that barely stand out are dropped: the lit top of an object split from its side, a
 * penumbra wider than a rim, not an object of their own.
 */
export function segmentObjects(
  img: RgbImage,
  background: RgbImage,
  options: SegmentOptions = DEFAULT_SEGMENT_OPTIONS,
): Segment[] {
  const residual = residualMap(img, background);
  const minArea = Math.max(4, options.minAreaFraction * img.width * img.height);
  const contrast = (s: Segment) => s.pixels.reduce((a, i) => a + residual[i]!, 0) / s.pixels.length;
  return segmentMask(
    img,
    foregroundMask(img, background, options.foregroundThreshold, options.castShadows),
    options,
  ).filter((s) => s.pixels.length >= FRAGMENT_AREA_FACTOR * minArea || contrast(s) >= FRAGMENT_MIN_CONTRAST);
}
