/**
 * report.html: the photo once; each stage's best program rendered at the photo's resolution
 * beside its difference heatmap, its checklist (model runs) and its program diff against the
 * stage before; one metric table at one stated resolution with the search loss, renders and
 * time per stage and the flat-image baseline; orbit views of the final scene; the settings;
 * and the final program with its helpers folded. Self-contained (images as data URLs, CSS
 * inlined, no scripts) so it opens from disk, offline, and can be mailed around.
 * The I/O that gathers all this is run-report.ts; this file only lays it out.
 */
import type { MetricReport } from "../metrics/metric-report.ts";
import type { FlatComparison } from "./flat-baseline.ts";
import {
  escapeHtml,
  METRIC_COLUMNS,
  metricCell,
  numberCell,
  REPORT_CSS,
  unavailableList,
} from "./report-html.ts";
import { highlightCss, programHtml } from "./report-program.ts";

export interface ChecklistEntry {
  object: string;
  problem: string;
  fix: string;
}

export interface ReportStage {
  name: string;
  /** The search's objective for the stage's best program, at `lossAt` (the size of its best.png). */
  loss: number | null;
  lossAt: string | null;
  renders: number | null;
  seconds: number | null;
  /** Data URLs of stages/<stage>/render.png (photo resolution) and its heatmap against the photo. */
  image: string | null;
  heatmap: string | null;
  metrics: MetricReport | null;
  /** The picture is the final's or an earlier stage's (same program). */
  sameAs: string | null;
  /** Why there is no render. */
  error: string | null;
  /** The program diff against the stage before (empty for the first). */
  diffHtml: string;
  /** Model runs: the verifier's verdict on the stage's best program. */
  checklist?: { approved: boolean; items: ChecklistEntry[] } | null;
  note?: string | null;
}

export interface ReportInput {
  title: string;
  method: string;
  target: { url: string; width: number; height: number };
  final: { image: string; heatmap: string | null; metrics: MetricReport };
  flat: { comparison: FlatComparison; summary: string };
  stages: ReportStage[];
  /** How every row of the metric table was rendered. */
  render: { samples: number; seed: number };
  orbit: { images: string[]; width: number; height: number; unavailable: string | null };
  /** Settings and totals, shown as given (values JSON-formatted unless strings). */
  settings: [string, unknown][];
  program: string;
  /** Extra sections placed before the program (the VLM agent's rounds, from report-rounds.ts). */
  extraHtml?: string;
}

function figure(url: string | null, caption: string, cls: string, stage?: string): string {
  if (!url) return `<figure class="${cls} none"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  const data = stage ? ` data-stage="${escapeHtml(stage)}"` : "";
  return `<figure><img class="${cls}"${data} src="${url}" alt="${escapeHtml(caption)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function metricsTable(input: ReportInput): string {
  const head = `<tr><th>row</th><th>loss (search)</th><th>at</th><th>renders</th><th>time (s)</th>${METRIC_COLUMNS.map((c) => `<th>${c.label}</th>`).join("")}</tr>`;
  const cells = (m: MetricReport | null) =>
    METRIC_COLUMNS.map((c) => metricCell(m, c.key, c.digits)).join("");
  const rows = input.stages.map(
    (s) =>
      `<tr data-stage="${escapeHtml(s.name)}"><td>${escapeHtml(s.name)}</td>${numberCell("loss", s.loss, 5)}<td class="loss-at">${s.lossAt ?? "—"}</td>${numberCell("renders", s.renders, 0)}${numberCell("seconds", s.seconds, 1)}${cells(s.metrics)}</tr>`,
  );
  const none = '<td class="none">—</td>'.repeat(4);
  rows.push(`<tr data-stage="final"><td>final</td>${none}${cells(input.final.metrics)}</tr>`);
  rows.push(
    `<tr data-stage="flat"><td>flat (mean colour)</td>${none}${cells(input.flat.comparison.flat)}</tr>`,
  );
  return `<table class="metrics">${head}${rows.join("")}</table>`;
}

function checklistHtml(c: ReportStage["checklist"]): string {
  if (!c) return "";
  if (c.approved) return "<p>verifier: <b>approved</b></p>";
  if (!c.items.length) return "<p>verifier: not approved, no checklist</p>";
  const items = c.items.map(
    (i) => `<li><b>${escapeHtml(i.object)}</b>: ${escapeHtml(i.problem)} → ${escapeHtml(i.fix)}</li>`,
  );
  return `<p>verifier checklist (not approved):</p><ul class="checklist">${items.join("")}</ul>`;
}

function stageSection(s: ReportStage, size: string): string {
  const facts = [
    s.loss === null ? null : `loss ${s.loss.toFixed(5)}`,
    s.renders === null ? null : `${s.renders} renders`,
    s.seconds === null ? null : `${s.seconds.toFixed(1)} s`,
    s.metrics?.psnr == null ? null : `PSNR ${s.metrics.psnr.toFixed(2)} dB`,
    s.metrics?.lpips == null ? null : `LPIPS ${s.metrics.lpips.toFixed(4)}`,
    s.sameAs ? `same program as ${s.sameAs}` : null,
  ].filter(Boolean);
  const pictures = s.error
    ? `<p class="none">no render: ${escapeHtml(s.error)}</p>`
    : `<div class="pair">${figure(s.image, `${s.name} at ${size}`, "stage-render", s.name)}${figure(s.heatmap, `${s.name}: difference from the photo`, "heatmap", s.name)}</div>`;
  return `<section class="stage" id="stage-${escapeHtml(s.name)}"><h3>${escapeHtml(s.name)}</h3><p>${escapeHtml(facts.join(" · "))}</p>
${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ""}${pictures}${checklistHtml(s.checklist)}${s.diffHtml}</section>`;
}

function settingsTable(rows: [string, unknown][]): string {
  const cell = (v: unknown) => escapeHtml(typeof v === "string" ? v : JSON.stringify(v));
  return `<table class="settings">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${cell(v)}</td></tr>`).join("")}</table>`;
}

function orbitHtml(o: ReportInput["orbit"]): string {
  if (!o.images.length)
    return `<p class="none">no orbit views: ${escapeHtml(o.unavailable ?? "none rendered")}</p>`;
  const figs = o.images.map((url, i) => figure(url, `orbit view ${i + 1}`, "orbit"));
  return `<p class="note">The final scene from ${o.images.length} cameras around its centre at the photo camera's distance and elevation (${o.width}×${o.height}).</p><div class="orbit-row">${figs.join("")}</div>`;
}

export async function renderReport(input: ReportInput): Promise<string> {
  const { target, flat } = input;
  const size = `${target.width}×${target.height}`;
  const metricNote = `Every metric in this table is measured at ${size}, the photo's resolution: each stage's best program rendered as the final is (${input.render.samples} samples, seed ${input.render.seed}) and compared with the photo. The loss column is the search's own objective, measured on the search render of the size beside it (a coarse level's loss is not comparable with a finer one's): it ranks programs within the search, not against these metrics.`;
  const warning = flat.comparison.warning
    ? `<p class="warning"><b>${escapeHtml(flat.comparison.warning)}</b></p>`
    : "";
  const reports = [...input.stages.map((s) => s.metrics), input.final.metrics, flat.comparison.flat];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>${await highlightCss()}${REPORT_CSS}</style></head>
<body><h1>${escapeHtml(input.title)}</h1><p>Method: <b>${escapeHtml(input.method)}</b></p>
${warning}
<h2>Photo and result</h2>
<div class="pair">${figure(target.url, `photo (target.png, ${size})`, "target")}${figure(input.final.image, `final render (final.png, ${size})`, "final")}</div>
${input.final.heatmap ? `<p>${figure(input.final.heatmap, "final: difference from the photo (black = equal, white = a third of the range or more)", "heatmap", "final")}</p>` : ""}
<h2>Metrics</h2><p class="note">${escapeHtml(metricNote)}</p>
${metricsTable(input)}
${unavailableList(reports)}
<p>${escapeHtml(flat.summary)}</p>
<h2>Stages</h2><p class="note">Each stage's best program at ${size}, its difference from the photo (same scale as the final's), and what it changed in the program.</p>
${input.stages.map((s) => stageSection(s, size)).join("\n")}
<h2>Orbit views</h2>${orbitHtml(input.orbit)}
<h2>Settings</h2>${settingsTable(input.settings)}
${input.extraHtml ?? ""}
<h2>Program</h2>${programHtml(input.program)}
</body></html>
`;
}
