/**
 * A photo argument: a path inside the workspace, or base64 bytes. Either is decoded with the
 * CLI's checks (src/image/load.ts: real image, sane size) before anything uses it; base64 bytes
 * are then kept as a file under seig-mcp/inputs so the run folder can name its photo.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { imageFromBuffer, loadImage } from "../image/load.ts";
import type { ServerContext } from "./context.ts";

export const PhotoArgs = {
  photo: z.string().optional().describe("the photo, relative to the workspace root (PNG, JPEG, WebP, TIFF)"),
  photo_base64: z.string().optional().describe("the photo's bytes in base64, instead of photo"),
};

export async function photoArg(
  ctx: ServerContext,
  args: { photo?: string | undefined; photo_base64?: string | undefined },
): Promise<string> {
  if ((args.photo === undefined) === (args.photo_base64 === undefined))
    throw new InputError("give exactly one of photo (a path in the workspace) and photo_base64");
  if (args.photo !== undefined) {
    const file = await ctx.workspace.existing(args.photo, "photo");
    await loadImage(file, { maxSide: 64 });
    return file;
  }
  const bytes = Buffer.from(args.photo_base64!, "base64");
  await imageFromBuffer(bytes, "photo_base64", { maxSide: 64 });
  const format = (await sharp(bytes).metadata()).format ?? "png";
  const file = path.join(await ctx.outputDir("inputs", ctx.nextId("photo")), `photo.${format}`);
  await writeFile(file, bytes);
  return file;
}
