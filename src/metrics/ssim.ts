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
  sameSize(a, b);
  return ssimAgainst(a)(b);
}

/** One plane of the reference image with the filtered statistics SSIM needs from it. */
interface ReferencePlane {
  x: Float64Array;
  ux: Float64Array;
  uxx: Float64Array;
}

/**
 * SSIM against a fixed reference `a`: the reference's planes and their filtered means and
 * squares are computed once, so each comparison filters three planes instead of five — the
 * offline search compares thousands of renders with one target. Same numbers as ssim(a, b).
 */
export function ssimAgainst(a: RgbImage): (b: RgbImage) => number {
  checkSide(a);
  const kernel = gaussianKernel(SSIM_SIGMA, TRUNCATE);
  const planes: ReferencePlane[] = [0, 1, 2].map((c) => {
    const x = channel(a, c);
    return {
      x,
      ux: gaussianFilter2d(x, a.width, a.height, kernel),
      uxx: gaussianFilter2d(squares(x), a.width, a.height, kernel),
    };
  });
  return (b) => {
    sameSize(a, b);
    let total = 0;
    for (let c = 0; c < 3; c++) total += ssimPlane(planes[c]!, channel(b, c), a.width, a.height, kernel);
    return total / 3;
  };
}

function sameSize(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `SSIM needs images of one size, got ${a.width}×${a.height} and ${b.width}×${b.height}`,
    );
  }
}

function checkSide(a: RgbImage): void {
  if (a.width < SSIM_MIN_SIDE || a.height < SSIM_MIN_SIDE) {
    throw new RangeError(
      `SSIM needs images at least ${SSIM_MIN_SIDE}×${SSIM_MIN_SIDE}, got ${a.width}×${a.height}`,
    );
  }
}

function squares(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
  return out;
}

function ssimPlane(
  ref: ReferencePlane,
  y: Float64Array,
  width: number,
  height: number,
  kernel: Float64Array,
): number {
  const { x, ux, uxx } = ref;
  const n = x.length;
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const uy = gaussianFilter2d(y, width, height, kernel);
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
