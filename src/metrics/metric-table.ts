import type { MetricReport } from "./metric-report.ts";

interface Row {
  label: string;
  key: "psnr" | "mse" | "ssim" | "lpips" | "clip" | "dino";
  better: "↑" | "↓";
  digits: number;
}

const ROWS: readonly Row[] = [
  { label: "PSNR (dB)", key: "psnr", better: "↑", digits: 2 },
  { label: "MSE", key: "mse", better: "↓", digits: 5 },
  { label: "SSIM", key: "ssim", better: "↑", digits: 4 },
  { label: "LPIPS", key: "lpips", better: "↓", digits: 4 },
  { label: "CLIP cos", key: "clip", better: "↑", digits: 4 },
  { label: "DINO cos", key: "dino", better: "↑", digits: 4 },
];

/** A plain-text table for the terminal: one metric per line, unavailable ones with their reason. */
export function formatMetricTable(report: MetricReport): string {
  const lines = ROWS.map((row) => {
    const value = report[row.key];
    const label = row.key === "lpips" && report.lpipsBackbone ? `LPIPS-${report.lpipsBackbone}` : row.label;
    const shown =
      value === null
        ? `n/a  (${report.unavailable[row.key] ?? "not computed"})`
        : row.key === "psnr" && report.psnrCapped
          ? report.mse === 0
            ? `inf  (identical images; JSON reports ${value})`
            : `>${value.toFixed(row.digits)}  (capped)`
          : value.toFixed(row.digits);
    return `${label.padEnd(14)} ${row.better}  ${shown}`;
  });
  const size = `at ${report.width}×${report.height}${report.resized ? " (image resampled to the target's size)" : ""}`;
  return [`metrics ${size}`, ...lines].join("\n");
}
