import type { RgbImage } from "../image/types.ts";

/**
 * Pixel error: mean squared error over all R, G, B values in [0, 1], and PSNR = 10·log10(1 / MSE)
 * (data range 1, as scikit-image's peak_signal_noise_ratio). Identical images give PSNR Infinity;
 * reports cap it (see PSNR_CAP_DB) so JSON stays a number.
 */
export const PSNR_CAP_DB = 100;

export function mse(a: RgbImage, b: RgbImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `MSE needs images of one size, got ${a.width}×${a.height} and ${b.width}×${b.height}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i]! - b.data[i]!;
    sum += d * d;
  }
  return sum / a.data.length;
}

/** PSNR in dB from an MSE on [0, 1] data; Infinity when the MSE is 0. */
export function psnrFromMse(meanSquaredError: number): number {
  return meanSquaredError === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(1 / meanSquaredError);
}
