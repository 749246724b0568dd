import { mkdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { toUint8 } from "./pixels.ts";
import type { RgbImage } from "./types.ts";

/** Writes an 8-bit RGB PNG, creating the folder if needed. */
export async function saveImage(img: RgbImage, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp(toUint8(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toFile(file);
}
