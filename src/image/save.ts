import { mkdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { toUint8 } from "./pixels.ts";
import type { RgbImage } from "./types.ts";

function asSharp(img: RgbImage): sharp.Sharp {
  return sharp(toUint8(img.data), { raw: { width: img.width, height: img.height, channels: 3 } }).png();
}

/** Writes an 8-bit RGB PNG, creating the folder if needed. */
export async function saveImage(img: RgbImage, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await asSharp(img).toFile(file);
}

/** The same 8-bit RGB PNG as bytes (for images inlined in a page rather than saved). */
export function encodePng(img: RgbImage): Promise<Buffer> {
  return asSharp(img).toBuffer();
}
