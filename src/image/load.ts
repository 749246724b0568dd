import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { ImageError, oneLine } from "../errors.ts";
import { decodeBmp, isBmp } from "./bmp.ts";
import { fromCodeValues } from "./pixels.ts";
import { type Rgb, type RgbImage, rgbImage } from "./types.ts";

/** Anything larger is refused before decoding: no photo seig works with needs it, and decoding would eat memory. */
export const MAX_IMAGE_PIXELS = 100_000_000;

export interface LoadOptions {
  /** Cap on the longer side; larger images are downscaled (never upscaled). 0 keeps the size. Default 512. */
  maxSide?: number;
  /** Colour transparent pixels are composited over, channels in [0, 1]. Default white. */
  background?: Rgb;
}

const WHITE: Rgb = [1, 1, 1];

/** Loads PNG, JPEG, WebP, TIFF or GIF (first frame) as an sRGB float image; see RgbImage. */
export async function loadImage(file: string, opts: LoadOptions = {}): Promise<RgbImage> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ImageError(`Image not found: ${file} — check the path.`);
    if (code === "EISDIR") throw new ImageError(`${file} is a folder, not an image — give an image file.`);
    throw new ImageError(`Cannot read image ${name}: ${code ?? String(e)} — check the file's permissions.`);
  }
  return imageFromBuffer(bytes, file, opts);
}

/** Decodes an encoded image held in memory; `source` names it in errors and in the result. */
export async function imageFromBuffer(
  bytes: Buffer,
  source: string,
  opts: LoadOptions = {},
): Promise<RgbImage> {
  const name = path.basename(source);
  const maxSide = opts.maxSide ?? 512;
  if (!Number.isInteger(maxSide) || maxSide < 0) {
    throw new RangeError(`maxSide must be a non-negative integer, got ${maxSide}`);
  }
  const background = opts.background ?? WHITE;
  // Search renders come as BMP (sharp has no BMP loader); they are opaque and never resized.
  if (isBmp(bytes) && (maxSide === 0 || Math.max(...bmpSize(bytes)) <= maxSide))
    return decodeBmp(bytes, source);
  // Read the header first so an absurd size is refused without allocating its pixels.
  const meta = await readHeader(bytes, name);
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  const depth = meta.depth === "ushort" ? "ushort" : "uchar";

  let pipeline = sharp(bytes, { failOn: "truncated", limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .flatten({ background: toSharpColour(background) });
  if (maxSide > 0 && Math.max(oriented.width, oriented.height) > maxSide) {
    pipeline = pipeline.resize({
      width: maxSide,
      height: maxSide,
      fit: "inside",
      withoutEnlargement: true,
      kernel: "lanczos3",
    });
  }
  // 16-bit sources stay 16-bit; 8-bit ones stay 8-bit so values are exactly code/255.
  pipeline =
    depth === "ushort"
      ? pipeline.toColourspace("rgb16").raw({ depth: "ushort" })
      : pipeline.toColourspace("srgb").raw();
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await pipeline.removeAlpha().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new ImageError(`Cannot decode image ${name}: ${oneLine(e)} — the file is corrupt or truncated.`);
  }
  const { data, info } = decoded;
  if (info.channels !== 3) {
    throw new ImageError(
      `Cannot decode image ${name}: got ${info.channels} channels after conversion to RGB.`,
    );
  }
  return rgbImage(info.width, info.height, fromCodeValues(data, depth), source, oriented);
}

async function readHeader(
  bytes: Buffer,
  name: string,
): Promise<sharp.Metadata & { width: number; height: number }> {
  let meta: sharp.Metadata;
  try {
    // No pixel limit here: the header is read either way, and the size check below words the error.
    meta = await sharp(bytes, { failOn: "truncated", limitInputPixels: false }).metadata();
  } catch (e) {
    const reason = oneLine(e);
    if (/unsupported image format/i.test(reason)) {
      throw new ImageError(
        `${name} is not an image seig can read — give a PNG, JPEG, WebP, TIFF or GIF file.`,
      );
    }
    throw new ImageError(`Cannot read image ${name}: ${reason} — the file is corrupt or truncated.`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new ImageError(`Cannot read image ${name}: its header has no size.`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ImageError(
      `Image ${name} is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels), over the ${MAX_IMAGE_PIXELS / 1e6} megapixel limit — downscale it first.`,
    );
  }
  return { ...meta, width, height };
}

function toSharpColour([r, g, b]: Rgb): { r: number; g: number; b: number } {
  for (const v of [r, g, b]) {
    if (!(v >= 0 && v <= 1))
      throw new RangeError(`background channels must be in [0, 1], got [${r}, ${g}, ${b}]`);
  }
  return { r: Math.round(r * 255), g: Math.round(g * 255), b: Math.round(b * 255) };
}

function bmpSize(bytes: Buffer): [number, number] {
  return bytes.length >= 26 ? [bytes.readInt32LE(18), Math.abs(bytes.readInt32LE(22))] : [0, 0];
}
