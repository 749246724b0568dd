import { oneLine } from "../errors.ts";
import { resizeTo } from "../image/resize.ts";
import type { RgbImage } from "../image/types.ts";
import { cosineSimilarity } from "./cosine.ts";
import type { Availability, MetricModels } from "./metric-models.ts";
import type { MetricReport } from "./metric-report.ts";
import { mse as meanSquaredError, PSNR_CAP_DB, psnrFromMse } from "./psnr.ts";
import type { SemanticEncoder } from "./semantic-encoder.ts";
import { ssim as structuralSimilarity } from "./ssim.ts";

/**
 * Every metric of DESIGN.md §4 for `image` against `target`, at the target's resolution
 * (the image is resampled first when the sizes differ, and the report says so).
 */
export async function compareImages(
  target: RgbImage,
  image: RgbImage,
  models: MetricModels,
): Promise<MetricReport> {
  const resized = image.width !== target.width || image.height !== target.height;
  const other = resized ? await resizeTo(image, target.width, target.height) : image;
  const unavailable: Record<string, string> = {};

  const mse = meanSquaredError(target, other);
  const rawPsnr = psnrFromMse(mse);
  const psnrCapped = rawPsnr > PSNR_CAP_DB;

  let ssim: number | null = null;
  try {
    ssim = structuralSimilarity(target, other);
  } catch (e) {
    unavailable["ssim"] = oneLine(e);
  }

  let lpips: number | null = null;
  let lpipsBackbone: MetricReport["lpipsBackbone"] = null;
  const lpipsModel = await models.lpips();
  if (lpipsModel.ok) {
    lpipsBackbone = lpipsModel.model.backbone;
    try {
      const score = await lpipsModel.model.score(target, other);
      // The SqueezeNet export gives NaN for some images (itself against itself included): said, never passed on.
      if (Number.isFinite(score)) lpips = score;
      else
        unavailable["lpips"] =
          `LPIPS-${lpipsBackbone} gave ${score} at ${target.width}×${target.height} for this image`;
    } catch (e) {
      unavailable["lpips"] = `LPIPS failed at ${target.width}×${target.height}: ${oneLine(e)}`;
    }
  } else {
    unavailable["lpips"] = lpipsModel.reason;
  }

  const clip = await semanticCosine("clip", await models.clip(), target, other, unavailable);
  const dino = await semanticCosine("dino", await models.dino(), target, other, unavailable);

  return {
    psnr: Math.min(rawPsnr, PSNR_CAP_DB),
    psnrCapped,
    mse,
    ssim,
    lpips,
    clip,
    dino,
    unavailable,
    resized,
    width: target.width,
    height: target.height,
    lpipsBackbone,
  };
}

async function semanticCosine(
  metric: "clip" | "dino",
  encoder: Availability<SemanticEncoder>,
  target: RgbImage,
  image: RgbImage,
  unavailable: Record<string, string>,
): Promise<number | null> {
  if (!encoder.ok) {
    unavailable[metric] = encoder.reason;
    return null;
  }
  try {
    return cosineSimilarity(await encoder.model.embed(target), await encoder.model.embed(image));
  } catch (e) {
    unavailable[metric] = `${encoder.model.spec.label} failed: ${oneLine(e)}`;
    return null;
  }
}
