/**
 * Images as MCP content. Small images go inline as they are; a larger one goes as a preview no
 * more than PREVIEW_SIDE on its longer side, the full file staying on disk (its path is in the
 * structured result) — a client never receives megabytes of base64.
 */
import { readFile } from "node:fs/promises";
import sharp from "sharp";

export const PREVIEW_SIDE = 512;

export interface ImageContent {
  type: "image";
  data: string;
  mimeType: "image/png";
  [key: string]: unknown;
}

export interface TextContent {
  type: "text";
  text: string;
  [key: string]: unknown;
}

export type Content = ImageContent | TextContent;

export async function imageContent(file: string): Promise<ImageContent> {
  const meta = await sharp(file).metadata();
  const small = Math.max(meta.width ?? 0, meta.height ?? 0) <= PREVIEW_SIDE && meta.format === "png";
  const bytes = small
    ? await readFile(file)
    : await sharp(file)
        .resize({ width: PREVIEW_SIDE, height: PREVIEW_SIDE, fit: "inside", withoutEnlargement: true })
        .png()
        .toBuffer();
  return { type: "image", data: bytes.toString("base64"), mimeType: "image/png" };
}

export function textContent(text: string): TextContent {
  return { type: "text", text };
}
