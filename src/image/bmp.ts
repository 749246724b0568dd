/**
 * Uncompressed BMP, the format search renders come back in: Blender writes the same 8-bit
 * view-transformed pixels as for PNG, without deflate, and Node reads them without inflate
 * (sharp has no BMP loader). The file comes from an untrusted job, so every size and offset
 * is checked before a byte is read.
 */
import sharp from "sharp";
import { ImageError } from "../errors.ts";
import { type RgbImage, rgbImage } from "./types.ts";

const FILE_HEADER = 14;
const BI_RGB = 0;
const MAX_PIXELS = 100_000_000;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/** 24- or 32-bit BI_RGB BMP (bottom-up or top-down) → RGB code values, row-major, top row first. */
export function bmpCodeValues(
  bytes: Buffer,
  name: string,
): { width: number; height: number; rgb: Uint8Array } {
  const bad = (why: string) => new ImageError(`Cannot decode image ${name}: ${why}.`);
  if (!isBmp(bytes) || bytes.length < FILE_HEADER + 40) throw bad("not a BMP file");
  const offset = bytes.readUInt32LE(10);
  const width = bytes.readInt32LE(18);
  const signedHeight = bytes.readInt32LE(22);
  const bits = bytes.readUInt16LE(28);
  if (bytes.readUInt32LE(30) !== BI_RGB || (bits !== 24 && bits !== 32))
    throw bad("not an uncompressed 24/32-bit BMP");
  const height = Math.abs(signedHeight);
  if (width < 1 || height < 1 || width * height > MAX_PIXELS) throw bad(`bad size ${width}×${height}`);
  const channels = bits / 8;
  const stride = Math.ceil((width * channels) / 4) * 4;
  if (offset < FILE_HEADER + 40 || offset + stride * height > bytes.length) throw bad("truncated pixel data");
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    // Positive heights store the bottom row first.
    const row = offset + stride * (signedHeight > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      const from = row + x * channels;
      const to = (y * width + x) * 3;
      rgb[to] = bytes[from + 2]!;
      rgb[to + 1] = bytes[from + 1]!;
      rgb[to + 2] = bytes[from]!;
    }
  }
  return { width, height, rgb };
}

/** The BMP as seig's float image: code values ÷ 255, exactly as loadImage reads an 8-bit PNG. */
export function decodeBmp(bytes: Buffer, source: string): RgbImage {
  const { width, height, rgb } = bmpCodeValues(bytes, source);
  const data = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i]! / 255;
  return rgbImage(width, height, data, source);
}

/** A render's file as PNG bytes (what run folders hold): a BMP is converted losslessly, anything else kept. */
export async function renderPng(bytes: Buffer, name: string): Promise<Buffer> {
  if (!isBmp(bytes)) return bytes;
  const { width, height, rgb } = bmpCodeValues(bytes, name);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
