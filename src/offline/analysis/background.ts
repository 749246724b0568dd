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

/** The split of the row sequence into two runs with the least squared deviation from each run's mean. */
function bestSplit(rows: Rgb3[]): { row: number; gain: number } {
  const n = rows.length;
  const prefix = [[0, 0, 0, 0]];
  for (const r of rows) {
    const p = prefix[prefix.length - 1]!;
    prefix.push([p[0]! + r[0], p[1]! + r[1], p[2]! + r[2], p[3]! + r[0] ** 2 + r[1] ** 2 + r[2] ** 2]);
  }
  const sse = (a: number, b: number) => {
    const k = b - a;
    if (k === 0) return 0;
    const s = [0, 1, 2].map((c) => prefix[b]![c]! - prefix[a]![c]!);
    return prefix[b]![3]! - prefix[a]![3]! - s.reduce((acc, v) => acc + v * v, 0) / k;
  };
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
