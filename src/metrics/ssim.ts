import type { RgbImage } from "../image/types.ts";
import { gaussianFilter2d, gaussianKernel } from "./gaussian-filter.ts";

/**
 * SSIM as scikit-image computes it with structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1, channel_axis=-1): an 11×11 Gaussian window
 * (σ 1.5, truncate 3.5), K1 0.01, K2 0.03, population covariance, the SSIM map averaged after
 * cropping 5 pixels from each border, then averaged over R, G and B.
 */
export const SSIM_SIGMA = 1.5;
const TRUNCATE = 3.5;
const K1 = 0.01;
const K2 = 0.03;
const DATA_RANGE = 1;

/** Smallest side SSIM accepts: the Gaussian window must fit inside the image. */
export const SSIM_MIN_SIDE = 2 * Math.trunc(TRUNCATE * SSIM_SIGMA + 0.5) + 1;

export function ssim(a: RgbImage, b: RgbImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `SSIM needs images of one size, got ${a.width}×${a.height} and ${b.width}×${b.height}`,
    );
  }
  if (a.width < SSIM_MIN_SIDE || a.height < SSIM_MIN_SIDE) {
    throw new RangeError(
      `SSIM needs images at least ${SSIM_MIN_SIDE}×${SSIM_MIN_SIDE}, got ${a.width}×${a.height}`,
    );
  }
  const kernel = gaussianKernel(SSIM_SIGMA, TRUNCATE);
  let total = 0;
  for (let c = 0; c < 3; c++) {
    total += ssimPlane(channel(a, c), channel(b, c), a.width, a.height, kernel);
  }
  return total / 3;
}

function ssimPlane(
  x: Float64Array,
  y: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
): number {
  const n = x.length;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const ux = gaussianFilter2d(x, width, height, kernel);
  const uy = gaussianFilter2d(y, width, height, kernel);
  const uxx = gaussianFilter2d(xx, width, height, kernel);
  const uyy = gaussianFilter2d(yy, width, height, kernel);
  const uxy = gaussianFilter2d(xy, width, height, kernel);
  const c1 = (K1 * DATA_RANGE) ** 2;
  const c2 = (K2 * DATA_RANGE) ** 2;
  const pad = (kernel.length - 1) / 2;
  let sum = 0;
  let count = 0;
  for (let row = pad; row < height - pad; row++) {
    for (let col = pad; col < width - pad; col++) {
      const i = row * width + col;
      const mx = ux[i]!;
      const my = uy[i]!;
      const vx = uxx[i]! - mx * mx;
      const vy = uyy[i]! - my * my;
      const vxy = uxy[i]! - mx * my;
      sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count++;
    }
  }
  return sum / count;
}

function channel(img: RgbImage, c: number): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i * 3 + c]!;
  return out;
}
