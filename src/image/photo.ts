/**
 * The photo a reconstruction starts from, and the smallest one it can use. The method compares
 * renders with the photo through an 11×11 SSIM window and finds objects as regions of it; with
 * fewer than 16 pixels on the shorter side there is nothing for either to work with, so such a
 * photo is refused before anything runs, instead of ending in a meaningless scene.
 */
import path from "node:path";
import { ImageError } from "../errors.ts";
import { loadImage } from "./load.ts";
import type { RgbImage } from "./types.ts";

/** Pixels on the shorter side, at the size seig works at (after the longer side is capped). */
export const MIN_PHOTO_SIDE = 16;

/** Throws a one-line ImageError when `image` is below what the method can use. */
export function assertUsablePhoto(image: RgbImage): void {
  const name = path.basename(image.source);
  const { originalWidth: width, originalHeight: height } = image;
  if (Math.min(width, height) < MIN_PHOTO_SIDE) {
    throw new ImageError(
      `${name} is ${width}×${height} pixels; seig needs a photo at least ${MIN_PHOTO_SIDE} pixels on its shorter side — give a larger photo`,
    );
  }
  const shorter = Math.min(image.width, image.height);
  if (shorter < MIN_PHOTO_SIDE) {
    throw new ImageError(
      `${name} is ${width}×${height} pixels, too narrow: scaled to ${Math.max(image.width, image.height)} pixels on its longer side it is ${shorter} on the shorter, and seig needs ${MIN_PHOTO_SIDE} — crop it`,
    );
  }
}

/** loadImage for the photo to reconstruct: capped at `maxSide`, refused when too small. */
export async function loadPhoto(file: string, maxSide: number): Promise<RgbImage> {
  const image = await loadImage(file, { maxSide });
  assertUsablePhoto(image);
  return image;
}
