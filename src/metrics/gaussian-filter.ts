/**
 * Separable Gaussian blur with the exact conventions of scipy.ndimage.gaussian_filter, which
 * scikit-image's SSIM uses: kernel radius int(truncate·σ + 0.5), weights normalised to sum 1,
 * and 'reflect' borders (half-sample symmetric: d c b a | a b c d | d c b a).
 */

export function gaussianKernel(sigma: number, truncate: number): Float64Array {
  const radius = Math.trunc(truncate * sigma + 0.5);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp((-0.5 * i * i) / (sigma * sigma));
    weights[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < weights.length; i++) weights[i]! /= sum;
  return weights;
}

/** Index into [0, n) for position i under scipy's 'reflect' mode. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/** For each position of [0, n) and tap offset −r…r, the reflected index: one table per pass. */
function reflectTable(n: number, radius: number): Int32Array {
  const taps = 2 * radius + 1;
  const table = new Int32Array(n * taps);
  for (let i = 0; i < n; i++)
    for (let k = -radius; k <= radius; k++) table[i * taps + k + radius] = reflectIndex(i + k, n);
  return table;
}

/**
 * Filters a width × height plane with `kernel` along rows, then columns. The sums run in the
 * same order as a direct loop over reflectIndex, so the result is bit for bit the same; the
 * index tables only take the modulo arithmetic out of the inner loop (the search's loss runs
 * this ten times per candidate render).
 */
export function gaussianFilter2d(
  plane: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
): Float64Array {
  const taps = kernel.length;
  const radius = (taps - 1) / 2;
  const rows = reflectTable(height, radius);
  const cols = reflectTable(width, radius);
  const tmp = new Float64Array(plane.length);
  const out = new Float64Array(plane.length);
  // scipy filters axis 0 (down the columns) first, then axis 1; the order only changes rounding.
  for (let y = 0; y < height; y++) {
    const base = y * taps;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += kernel[k]! * plane[rows[base + k]! * width + x]!;
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const base = x * taps;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += kernel[k]! * tmp[row + cols[base + k]!]!;
      out[row + x] = acc;
    }
  }
  return out;
}
