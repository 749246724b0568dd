/**
 * The flat baseline: an image of the target's mean colour, everywhere. Any reconstruction
 * worth the name beats it clearly; one that barely does has not understood the photo,
 * whatever its PSNR looks like on its own.
 */
import { type RgbImage, rgbImage } from "../image/types.ts";

export function flatImage(target: RgbImage): RgbImage {
  const n = target.width * target.height;
  const mean = [0, 1, 2].map((c) => {
    let sum = 0;
    for (let i = c; i < target.data.length; i += 3) sum += target.data[i]!;
    return sum / n;
  });
  return rgbImage(
    target.width,
    target.height,
    Float32Array.from(target.data, (_, i) => mean[i % 3]!),
    "flat mean colour",
  );
}
