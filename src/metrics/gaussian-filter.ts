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

/** Filters a width × height plane with `kernel` along rows, then columns. */
export function gaussianFilter2d(
  plane: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
): Float64Array {
  const radius = (kernel.length - 1) / 2;
  const tmp = new Float64Array(plane.length);
  const out = new Float64Array(plane.length);
  // scipy filters axis 0 (down the columns) first, then axis 1; the order only changes rounding.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        acc += kernel[k + radius]! * plane[reflectIndex(y + k, height) * width + x]!;
      }
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        acc += kernel[k + radius]! * tmp[row + reflectIndex(x + k, width)]!;
      }
      out[row + x] = acc;
    }
  }
  return out;
}
