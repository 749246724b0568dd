/** Small HTML pieces the run report is made of: escaping, inlined images, metric cells. */
import { readFile } from "node:fs/promises";
import type { MetricReport } from "../metrics/metric-report.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** A PNG as a data URL, so the report needs nothing beside it. */
export function pngDataUrl(bytes: Buffer): string {
  return `data:image/png;base64,${bytes.toString("base64")}`;
}

export async function fileDataUrl(file: string): Promise<string | null> {
  const bytes = await readFile(file).catch(() => null);
  return bytes ? pngDataUrl(bytes) : null;
}

export type MetricKey = "psnr" | "ssim" | "lpips" | "clip" | "dino";

export const METRIC_COLUMNS: readonly { key: MetricKey; label: string; digits: number }[] = [
  { key: "psnr", label: "PSNR (dB) ↑", digits: 2 },
  { key: "ssim", label: "SSIM ↑", digits: 4 },
  { key: "lpips", label: "LPIPS ↓", digits: 4 },
  { key: "clip", label: "CLIP cos ↑", digits: 4 },
  { key: "dino", label: "DINO cos ↑", digits: 4 },
];

/** One metric's cell: the value, or n/a with the reason as a tooltip (the reasons are also listed under the table). */
export function metricCell(report: MetricReport | null, key: MetricKey, digits: number): string {
  if (!report) return `<td class="metric ${key} none">—</td>`;
  const value = report[key];
  if (value === null) {
    const why = report.unavailable[key] ?? "not computed";
    return `<td class="metric ${key} none" title="${escapeHtml(why)}">n/a</td>`;
  }
  const capped = key === "psnr" && report.psnrCapped ? ">" : "";
  return `<td class="metric ${key}" data-value="${value}">${capped}${value.toFixed(digits)}</td>`;
}

/** A number cell, or — when there is no number. */
export function numberCell(cls: string, value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? `<td class="${cls} none">—</td>`
    : `<td class="${cls}" data-value="${value}">${value.toFixed(digits)}</td>`;
}

/** Why each unavailable metric is unavailable, once per distinct reason. */
export function unavailableList(reports: readonly (MetricReport | null)[]): string {
  const reasons = new Map<string, Set<string>>();
  for (const r of reports)
    for (const [key, why] of Object.entries(r?.unavailable ?? {})) {
      if (!reasons.has(key)) reasons.set(key, new Set());
      reasons.get(key)!.add(why);
    }
  if (!reasons.size) return "";
  const items = [...reasons].flatMap(([key, whys]) =>
    [...whys].map(
      (why) => `<li><b>${escapeHtml(key.toUpperCase())}</b> unavailable: ${escapeHtml(why)}</li>`,
    ),
  );
  return `<ul class="unavailable">${items.join("")}</ul>`;
}

export const REPORT_CSS = `
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}
figure img{max-width:100%;height:auto;border:1px solid #ccc;display:block}
figcaption{font-size:.85em;color:#555}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair figure{margin:0}
.orbit-row{display:grid;grid-template-columns:repeat(4,1fr);gap:.5em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.none{color:#888}
.settings td{text-align:left;font-family:ui-monospace,monospace;font-size:.9em}
.warning{background:#fff3cd;border:1px solid #e0b000;padding:.6em 1em}.note{color:#555;font-size:.9em}
.stage{border-left:4px solid #8ab;padding-left:1em;margin:1.5em 0}
pre{background:#f6f8fa;padding:1em;overflow:auto;font-size:.85em}
.diff .add{background:#e6ffec;display:block}.diff .del{background:#ffebe9;display:block}.diff .hunk{color:#6639ba;display:block}
details>summary{cursor:pointer;color:#0550ae}
.checklist li{margin:.2em 0}`;
