import { z } from "zod";

/**
 * What comparing a render with its target yields. A metric that could not be computed is null
 * and `unavailable` says why; nothing is ever dropped silently or filled with a made-up value.
 */
export const MetricReport = z.object({
  /** dB, from MSE over RGB on [0, 1], at most PSNR_CAP_DB (identical images have infinite PSNR). */
  psnr: z.number().nullable(),
  /** The true PSNR is above the cap: Infinity when mse is 0, else a near-identical pair. */
  psnrCapped: z.boolean(),
  mse: z.number().nullable(),
  ssim: z.number().nullable(),
  /** Distance, lower is better; backbone in lpipsBackbone. */
  lpips: z.number().nullable(),
  /** Cosine similarity of CLIP ViT-B/32 image embeddings. */
  clip: z.number().nullable(),
  /** Cosine similarity of DINO ViT-S/16 CLS features. */
  dino: z.number().nullable(),
  /** metric name → one-line reason it is null. */
  unavailable: z.record(z.string(), z.string()),
  /** The compared image was resampled to the target's size first. */
  resized: z.boolean(),
  /** Resolution the metrics were computed at (the target's). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  lpipsBackbone: z.enum(["squeeze", "alex", "vgg"]).nullable(),
});
export type MetricReport = z.infer<typeof MetricReport>;
