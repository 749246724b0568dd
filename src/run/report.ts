/**
 * report.html: the target beside each stage's best render, a metric table per stage and
 * the final program with syntax highlighting. Self-contained (images as data URLs, CSS
 * inlined) so it opens from disk and can be mailed around.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";

hljs.registerLanguage("python", python);

export interface ReportRow {
  label: string;
  image: string | null;
  metrics: Record<string, number | string | null>;
}

export interface ReportInput {
  title: string;
  method: string;
  target: string;
  rows: ReportRow[];
  program: string;
  /** Extra sections placed before the program (the VLM agent's rounds, from report-rounds.ts). */
  extraHtml?: string;
  /** The run against the flat image of the target's mean colour: a line under the metrics, and its warning at the top when weak. */
  flat?: { summary: string; warning: string | null };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

async function dataUrl(file: string | null): Promise<string> {
  if (!file) return "";
  return `data:image/png;base64,${(await readFile(file)).toString("base64")}`;
}

async function highlightCss(): Promise<string> {
  const require = createRequire(import.meta.url);
  return readFile(require.resolve("highlight.js/styles/github.css"), "utf8");
}

function formatMetric(v: number | string | null): string {
  if (v === null) return "—";
  return typeof v === "number" ? v.toFixed(4) : escapeHtml(v);
}

export async function renderReport(input: ReportInput): Promise<string> {
  const targetUrl = await dataUrl(input.target);
  const keys = [...new Set(input.rows.flatMap((r) => Object.keys(r.metrics)))];
  const figures = await Promise.all(
    input.rows.map(
      async (r) =>
        `<figure><img src="${targetUrl}" alt="target"><img src="${await dataUrl(r.image)}" alt="${escapeHtml(r.label)}"><figcaption>target · ${escapeHtml(r.label)}</figcaption></figure>`,
    ),
  );
  const table = `<table><tr><th>stage</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join("")}</tr>${input.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.label)}</td>${keys.map((k) => `<td>${formatMetric(r.metrics[k] ?? null)}</td>`).join("")}</tr>`,
    )
    .join("")}</table>`;
  const code = hljs.highlight(input.program, { language: "python" }).value;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>${await highlightCss()}
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}figure{display:inline-block;margin:0 1em 1em 0}
figure img{width:240px;margin-right:4px;image-rendering:pixelated;border:1px solid #ccc}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}.warning{background:#fff3cd;border:1px solid #e0b000;padding:.6em 1em}pre{background:#f6f8fa;padding:1em;overflow:auto}</style></head>
<body><h1>${escapeHtml(input.title)}</h1><p>Method: <b>${escapeHtml(input.method)}</b></p>
${input.flat?.warning ? `<p class="warning"><b>${escapeHtml(input.flat.warning)}</b></p>` : ""}
<h2>Stages</h2>${figures.join("\n")}
<h2>Metrics</h2>${table}
${input.flat ? `<p>${escapeHtml(input.flat.summary)}</p>` : ""}
${input.extraHtml ?? ""}
<h2>Program</h2><pre><code class="hljs language-python">${code}</code></pre></body></html>
`;
}
