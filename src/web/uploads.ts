/**
 * An uploaded photo: limited in size and type, then decoded with the same checks the CLI uses
 * (src/image/load.ts: header first, pixel-count cap, truncation) before anything is written.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { imageFromBuffer } from "../image/load.ts";
import { HttpError } from "./http-error.ts";

/** Photos larger than this are refused before decoding; seig works at ≤ 512 px anyway. */
export const MAX_UPLOAD_BYTES = 12 * 1024 * 1024;

const EXTENSIONS: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/webp": ".webp",
  "image/tiff": ".tif",
  "image/gif": ".gif",
};

export function uploadExtension(type: string): string {
  const ext = EXTENSIONS[type.toLowerCase()];
  if (!ext)
    throw new HttpError(
      415,
      `${type || "this file"} is not a supported photo type (PNG, JPEG, WebP, TIFF, GIF)`,
    );
  return ext;
}

/** Checks and stores the photo under `<runsDir>/.uploads/`; returns its path. */
export async function storeUpload(runsDir: string, id: string, file: File): Promise<string> {
  if (file.size > MAX_UPLOAD_BYTES)
    throw new HttpError(413, `the photo is ${file.size} bytes; the limit is ${MAX_UPLOAD_BYTES}`);
  const ext = uploadExtension(file.type);
  const bytes = Buffer.from(await file.arrayBuffer());
  // Throws ImageError (→ 400) for anything that is not a decodable image of a sane size.
  await imageFromBuffer(bytes, file.name || `upload${ext}`, { maxSide: 64 });
  const dir = path.join(runsDir, ".uploads");
  await mkdir(dir, { recursive: true });
  const stored = path.join(dir, `${id}${ext}`);
  await writeFile(stored, bytes);
  return stored;
}
