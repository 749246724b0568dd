/**
 * Where the photo differs from a render of what the scene explains so far (the background,
 * or the current reconstruction). Each row of the render is first scaled by the row's
 * ground brightness ratio, so a slightly wrong ground gradient (pitch, exposure, grazing
 * reflection) does not show up as foreground. The ground's ratio is a dense cluster of the
 * ratios over nearby rows, not their median: a row through several objects is mostly
 * objects and shadows, but the ground's pixels agree closely with each other.
 */
import type { RgbImage } from "../../image/types.ts";
import { luminance, type Rgb3 } from "./colour.ts";

export function pixelAt(img: RgbImage, i: number): Rgb3 {
  return [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
}

function sameSize(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height)
    throw new RangeError(
      `residual needs images of one size, got ${a.width}×${a.height} and ${b.width}×${b.height}`,
    );
}

const MIN_GAIN = 0.5;
const MAX_GAIN = 2;
/** Width of a ratio cluster, in log units (±4 %: sampling noise on the ground). */
const CLUSTER_LOG_WIDTH = 0.08;

/** A cluster this dense relative to the densest one may be the ground. */
const GROUND_CLUSTER_SHARE = 0.4;

/**
 * The median of the dense cluster of log ratios nearest 0 (sorts `logs` in place). Under a
 * row of objects, the ground is rarely the only tight cluster (cast shadows and flat faces
 * are even too), but the background was fitted to the photo, so the ground's ratio is the
 * one nearest 1.
 */
function groundCluster(logs: number[]): number {
  logs.sort((a, b) => a - b);
  const counts = logs.map((start, k) => {
    let end = k;
    while (end < logs.length && logs[end]! - start <= CLUSTER_LOG_WIDTH) end++;
    return end - k;
  });
  const densest = Math.max(...counts);
  let best = Number.POSITIVE_INFINITY;
  for (const [k, count] of counts.entries()) {
    const centre = logs[k + Math.floor(count / 2)]!;
    if (count >= GROUND_CLUSTER_SHARE * densest && Math.abs(centre) < Math.abs(best)) best = centre;
  }
  return best;
}

/** Rows each side pooled into a row's gain: the ground's gradient is smooth, and a row crowded with objects borrows ground from its neighbours. */
const ROW_WINDOW = 4;

/** Per row: the ground's target / render luminance ratio (the dense cluster nearest 1 over nearby rows), clamped to [0.5, 2]. */
export function rowGains(target: RgbImage, render: RgbImage): Float32Array {
  sameSize(target, render);
  const logs = Array.from({ length: target.height }, (_, y) =>
    Array.from({ length: target.width }, (_, x) => {
      const i = y * target.width + x;
      return Math.log((luminance(pixelAt(target, i)) + 0.01) / (luminance(pixelAt(render, i)) + 0.01));
    }),
  );
  return Float32Array.from(logs, (_, y) => {
    const pooled = logs.slice(Math.max(0, y - ROW_WINDOW), y + ROW_WINDOW + 1).flat();
    return Math.min(MAX_GAIN, Math.max(MIN_GAIN, Math.exp(groundCluster(pooled))));
  });
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
