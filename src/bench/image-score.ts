/**
 * Image metrics of a reconstruction against its target, shared by `seig eval` and
 * `seig bench run` so both report the same numbers for the same files. A run folder stands
 * for its final render.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { compareImages } from "../metrics/compare.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { markdownTable } from "./table.ts";

/** The render a run folder is judged by. */
export const FINAL_RENDER = "final.png";

/** An image file, or a run folder's final render. */
export async function resolveRender(imageOrRunDir: string): Promise<string> {
  const info = await stat(imageOrRunDir).catch(() => null);
  if (!info) throw new InputError(`${imageOrRunDir} does not exist — give an image or a run folder`);
  if (!info.isDirectory()) return imageOrRunDir;
  const file = path.join(imageOrRunDir, FINAL_RENDER);
  if (!(await stat(file).catch(() => null))) {
    throw new InputError(
      `${imageOrRunDir} is a folder without ${FINAL_RENDER} — give an image or a finished run folder`,
    );
  }
  return file;
}

export async function scoreImages(
  targetPath: string,
  imagePath: string,
  models: MetricModels,
): Promise<MetricReport> {
  const [target, image] = await Promise.all([loadImage(targetPath), loadImage(imagePath)]);
  return compareImages(target, image, models);
}

interface MetricLine {
  key: "psnr" | "mse" | "ssim" | "lpips" | "clip" | "dino";
  label: string;
  better: "higher" | "lower";
}

const LINES: readonly MetricLine[] = [
  { key: "psnr", label: "PSNR (dB)", better: "higher" },
  { key: "ssim", label: "SSIM", better: "higher" },
  { key: "lpips", label: "LPIPS", better: "lower" },
  { key: "clip", label: "CLIP cosine", better: "higher" },
  { key: "dino", label: "DINO cosine", better: "higher" },
  { key: "mse", label: "MSE", better: "lower" },
];

function label(line: MetricLine, report: MetricReport): string {
  return line.key === "lpips" && report.lpipsBackbone ? `LPIPS (${report.lpipsBackbone})` : line.label;
}

function note(line: MetricLine, report: MetricReport): string {
  if (report[line.key] === null) return `unavailable: ${report.unavailable[line.key] ?? "not computed"}`;
  return line.key === "psnr" && report.psnrCapped ? "identical images (capped)" : "";
}

/** metric,value,better,note — full precision, blank value when unavailable. */
export function reportCsv(report: MetricReport): string {
  const cell = (t: string) => (/[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
  const rows = LINES.map((l) =>
    [l.key, String(report[l.key] ?? ""), l.better, note(l, report)].map(cell).join(","),
  );
  return `metric,value,better,note\n${rows.join("\n")}\n`;
}

export function reportMarkdown(report: MetricReport): string {
  const body = LINES.map((l) => {
    const v = report[l.key];
    return [label(l, report), v === null ? "–" : String(Number(v.toPrecision(6))), l.better, note(l, report)];
  });
  return markdownTable(["metric", "value", "better", "note"], body);
}
