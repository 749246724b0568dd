/**
 * The background model: per-row median colour (the ground's brightness changes with
 * distance, so one colour for the whole image would call the far ground an object), and
 * the horizon row when the ground does not fill the frame.
 */
import type { RgbImage } from "../../image/types.ts";
import { maxAbsDiff, median, type Rgb3 } from "./colour.ts";

export interface Background {
  /** sRGB background colour for every row. */
  rows: Rgb3[];
  /** First row of ground; 0 when the ground fills the frame. */
  horizonRow: number;
  /** Median sRGB of the rows above the horizon (the sky/backdrop); null when there are none. */
  sky: Rgb3 | null;
  /** Median sRGB of the bottom tenth of the frame: the near ground. */
  ground: Rgb3;
  /**
   * First row below the ground when it ends in the frame (a table top with the floor under
   * its front edge); the rows from there down show the world, as the rows above do.
   */
  groundEnd?: number;
}

function rowMedian(img: RgbImage, y: number): Rgb3 {
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    const values: number[] = [];
    for (let x = 0; x < img.width; x++) values.push(img.data[(y * img.width + x) * 3 + c]!);
    out.push(median(values));
  }
  return out as Rgb3;
}

function blockMedian(rows: Rgb3[]): Rgb3 {
  return [0, 1, 2].map((c) => median(rows.map((r) => r[c]!))) as Rgb3;
}

/** Squared deviation of rows [a, b) from their mean, in constant time after a prefix pass. */
function runDeviation(rows: Rgb3[]): (a: number, b: number) => number {
  const prefix = [[0, 0, 0, 0]];
  for (const r of rows) {
    const p = prefix[prefix.length - 1]!;
    prefix.push([p[0]! + r[0], p[1]! + r[1], p[2]! + r[2], p[3]! + r[0] ** 2 + r[1] ** 2 + r[2] ** 2]);
  }
  return (a, b) => {
    const k = b - a;
    if (k === 0) return 0;
    const s = [0, 1, 2].map((c) => prefix[b]![c]! - prefix[a]![c]!);
    return prefix[b]![3]! - prefix[a]![3]! - s.reduce((acc, v) => acc + v * v, 0) / k;
  };
}

/** The split of the row sequence into two runs with the least squared deviation from each run's mean. */
function bestSplit(rows: Rgb3[]): { row: number; gain: number } {
  const n = rows.length;
  const sse = runDeviation(rows);
  const total = sse(0, n);
  let best = { row: 0, gain: 0 };
  for (let k = 2; k < n - 2; k++) {
    const gain = total - sse(0, k) - sse(k, n);
    if (gain > best.gain) best = { row: k, gain };
  }
  return best;
}

export function estimateBackground(img: RgbImage): Background {
  const rows = Array.from({ length: img.height }, (_, y) => rowMedian(img, y));
  const band = Math.max(1, Math.round(img.height / 10));
  const ground = blockMedian(rows.slice(img.height - band));
  const top = blockMedian(rows.slice(0, band));
  let horizonRow = 0;
  // A backdrop distinct from the ground: split the rows where the colour changes most.
  if (maxAbsDiff(top, ground) > 0.08) {
    const split = bestSplit(rows);
    if (maxAbsDiff(blockMedian(rows.slice(0, split.row)), blockMedian(rows.slice(split.row))) > 0.06)
      horizonRow = split.row;
  }
  return { rows, horizonRow, sky: horizonRow > 0 ? blockMedian(rows.slice(0, horizonRow)) : null, ground };
}

/** A surface spans at least this share of the rows, and the world above it at least MIN_ABOVE. */
const MIN_SURFACE_ROWS = 0.15;
const MIN_ABOVE_ROWS = 0.05;
/** The surface's colour differs from the rows above and below it by this much (sRGB). */
const SURFACE_STEP = 0.06;
/**
 * A surface fills its rows: this share of their pixels is within SURFACE_NEAR of its colour
 * (table tops 0.81–0.91; a band of CLEVR rows whose median a big object tints, ≤ 0.10).
 */
const SURFACE_FILL = 0.6;
const SURFACE_NEAR = 0.08;

function fill(img: RgbImage, from: number, to: number, colour: Rgb3): number {
  let near = 0;
  for (let i = from * img.width; i < to * img.width; i++) {
    const p: Rgb3 = [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
    if (maxAbsDiff(p, colour) <= SURFACE_NEAR) near++;
  }
  return near / Math.max(1, (to - from) * img.width);
}

/**
 * The rows as a bounded surface: a band of one colour (a table top) between the world above
 * its far edge (a wall) and below its near edge (the floor, the table's front), found as the
 * three-run split of the row colours with the least deviation. Null when no band stands out
 * from both sides or its rows are not mostly its colour. The returned background's ground is the band and its sky the world.
 */
export function surfaceBackground(img: RgbImage, bg: Background): Background | null {
  const { rows } = bg;
  const n = rows.length;
  const sse = runDeviation(rows);
  const minBand = Math.max(2, Math.round(MIN_SURFACE_ROWS * n));
  const minAbove = Math.max(1, Math.round(MIN_ABOVE_ROWS * n));
  let best: { far: number; near: number; cost: number } | null = null;
  for (let far = minAbove; far < n; far++)
    for (let near = far + minBand; near < n; near++) {
      const cost = sse(0, far) + sse(far, near) + sse(near, n);
      if (!best || cost < best.cost) best = { far, near, cost };
    }
  if (!best) return null;
  const above = blockMedian(rows.slice(0, best.far));
  const band = blockMedian(rows.slice(best.far, best.near));
  const below = blockMedian(rows.slice(best.near));
  if (maxAbsDiff(band, above) <= SURFACE_STEP || maxAbsDiff(band, below) <= SURFACE_STEP) return null;
  if (fill(img, best.far, best.near, band) < SURFACE_FILL) return null;
  return { rows, horizonRow: best.far, groundEnd: best.near, sky: above, ground: band };
}
