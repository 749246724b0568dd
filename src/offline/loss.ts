/**
 * The offline search's loss, computed at working resolution on sRGB values in [0, 1]:
 *
 *   loss = MSE + λ · (1 − SSIM),  λ = 0.05
 *
 * MSE pulls colours and exposure in; the SSIM term (scikit-image's definition, see
 * src/metrics/ssim.ts) rewards edges and silhouettes in the right places even while colours
 * are still off, which is what the geometry and composition stages need. λ puts a 0.1 SSIM
 * difference on the scale of a 0.005 MSE (≈ 23 dB), where both terms matter.
 */
import type { RgbImage } from "../image/types.ts";
import { mse } from "../metrics/psnr.ts";
import { ssimAgainst } from "../metrics/ssim.ts";

export const SSIM_WEIGHT = 0.05;

export function reconstructionLoss(target: RgbImage, render: RgbImage): number {
  return lossAgainst(target)(render);
}

/** The loss against one target, its SSIM statistics computed once (the search scores many renders). */
export function lossAgainst(target: RgbImage): (render: RgbImage) => number {
  const structure = ssimAgainst(target);
  return (render) => mse(target, render) + SSIM_WEIGHT * (1 - structure(render));
}
