/**
 * Every run's honest quality signal: how much it beats the flat image of the target's mean
 * colour (src/metrics/flat.ts). A result less than 2 dB PSNR or 0.05 LPIPS better than that
 * image has not reconstructed the photo, and the run says so.
 */
import { z } from "zod";
import { MetricReport } from "../metrics/metric-report.ts";

/** Below either margin the result counts as barely better than the flat image. */
export const MIN_PSNR_GAIN_DB = 2;
export const MIN_LPIPS_GAIN = 0.05;

export const FlatComparison = z.object({
  /** The flat image's own metrics against the target. */
  flat: MetricReport,
  /** Result minus flat, in dB (higher is better). */
  psnrGainDb: z.number().nullable(),
  /** Flat minus result (LPIPS is a distance, so positive means the result is better). */
  lpipsGain: z.number().nullable(),
  /** Result minus flat. */
  ssimGain: z.number().nullable(),
  /** The result beats the flat image by less than one of the margins. */
  weak: z.boolean(),
  /** One line for the terminal and the report when `weak`. */
  warning: z.string().nullable(),
});
export type FlatComparison = z.infer<typeof FlatComparison>;

function gain(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

export function compareWithFlat(result: MetricReport, flat: MetricReport, method: string): FlatComparison {
  const psnrGainDb = gain(result.psnr, flat.psnr);
  const lpipsGain = gain(flat.lpips, result.lpips);
  const ssimGain = gain(result.ssim, flat.ssim);
  const weak =
    (psnrGainDb !== null && psnrGainDb < MIN_PSNR_GAIN_DB) ||
    (lpipsGain !== null && lpipsGain < MIN_LPIPS_GAIN);
  const warning = weak
    ? `warning: the result is not clearly better than a flat image of the photo's mean colour (${flatGainText({ psnrGainDb, lpipsGain })} against it, where a useful reconstruction gains ≥ ${MIN_PSNR_GAIN_DB} dB PSNR and lowers LPIPS by ≥ ${MIN_LPIPS_GAIN}): this photo is outside what the ${method} reconstructs well`
    : null;
  return { flat, psnrGainDb, lpipsGain, ssimGain, weak, warning };
}

function signed(v: number, digits: number): string {
  return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(digits)}`;
}

/** "PSNR +9.68 dB, LPIPS −0.323": the result's change from the flat image (LPIPS: lower is better). */
export function flatGainText(c: Pick<FlatComparison, "psnrGainDb" | "lpipsGain">): string {
  const psnr = c.psnrGainDb === null ? "PSNR n/a" : `PSNR ${signed(c.psnrGainDb, 2)} dB`;
  const lpips = c.lpipsGain === null ? "LPIPS n/a" : `LPIPS ${signed(-c.lpipsGain, 3)}`;
  return `${psnr}, ${lpips}`;
}

/** The terminal's line about the flat baseline (the warning, when weak, is a separate line). */
export function flatSummary(c: FlatComparison): string {
  const f = c.flat;
  const own = [
    f.psnr === null ? null : `PSNR ${f.psnr.toFixed(2)} dB`,
    f.lpips === null ? null : `LPIPS ${f.lpips.toFixed(3)}`,
    f.ssim === null ? null : `SSIM ${f.ssim.toFixed(3)}`,
  ].filter(Boolean);
  return `flat mean-colour image: ${own.join(", ")}; this run against it: ${flatGainText(c)} (LPIPS: lower is better)`;
}
