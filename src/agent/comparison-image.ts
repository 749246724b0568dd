/** The side-by-side picture models get: target on the left, render on the right, same height. */
import sharp from "sharp";

const GAP = 8;

export async function writeComparisonImage(
  targetPng: string,
  renderPng: string,
  outPng: string,
): Promise<void> {
  const target = await sharp(targetPng).metadata();
  const height = target.height ?? 256;
  const width = target.width ?? 256;
  const render = await sharp(renderPng).resize({ width, height, fit: "fill" }).removeAlpha().png().toBuffer();
  const left = await sharp(targetPng).removeAlpha().png().toBuffer();
  await sharp({
    create: { width: width * 2 + GAP, height, channels: 3, background: { r: 255, g: 255, b: 255 } },
  })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: render, left: width + GAP, top: 0 },
    ])
    .png()
    .toFile(outPng);
}
