/**
 * The HTML report of a benchmark run: the summary and per-scene table, the charts, and each
 * target beside its reconstruction. Image paths are relative so the folder can be moved.
 */
import path from "node:path";
import { describeMatches } from "./errors3d.ts";
import { type SceneScore, tableRows } from "./run.ts";
import { formatValue, presentColumns, summarise } from "./table.ts";

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

export interface PageInput {
  title: string;
  outDir: string;
  scores: readonly SceneScore[];
  /** Chart base names inside outDir (`plots/psnr_per_scene`), shown as their SVG. */
  charts: readonly string[];
  notes: readonly string[];
}

export function benchPage(input: PageInput): string {
  const rows = tableRows(input.scores);
  const columns = presentColumns(rows);
  const summary = summarise(rows, columns);
  const rel = (file: string) => escapeHtml(path.relative(input.outDir, file).split(path.sep).join("/"));
  const head = `<tr><th>scene</th>${columns.map((c) => `<th>${escapeHtml(c.label)} ${c.better === "higher" ? "↑" : "↓"}</th>`).join("")}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr${r.error ? ' class="failed"' : ""}><td>${escapeHtml(r.scene)}${r.error ? `<br><small>${escapeHtml(r.error)}</small>` : ""}</td>${columns
          .map((c) => `<td>${formatValue(r.values[c.key], c.digits)}</td>`)
          .join("")}</tr>`,
    )
    .join("\n");
  const foot = ["mean", "median"]
    .map(
      (k) =>
        `<tr class="summary"><td>${k}</td>${summary
          .map((s, i) => `<td>${formatValue(k === "mean" ? s.mean : s.median, columns[i]!.digits)}</td>`)
          .join("")}</tr>`,
    )
    .join("\n");
  const pairs = input.scores
    .map(
      (s) =>
        `<figure><figcaption>${escapeHtml(s.scene)}${
          s.values["psnr"] != null ? ` — PSNR ${formatValue(s.values["psnr"], 2)}` : ""
        }${s.errors3d ? `<br><small>${escapeHtml(describeMatches(s.errors3d))}</small>` : ""}</figcaption><img src="${rel(s.target)}" alt="target"><img src="${s.render ? rel(s.render) : ""}" alt="${
          s.render ? "reconstruction" : "no reconstruction"
        }"></figure>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.summary{font-weight:bold;background:#f3f3f3}tr.failed{color:#a00}
figure{display:inline-block;margin:8px;max-width:500px;vertical-align:top}figure img{width:240px;margin-right:4px}.charts img{width:480px}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
${input.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join("\n")}
<table><thead>${head}</thead><tbody>
${body}
${foot}
</tbody></table>
<h2>Charts</h2><div class="charts">${input.charts.map((c) => `<img src="${escapeHtml(c)}.svg" alt="${escapeHtml(c)}">`).join("")}</div>
<h2>Targets (left) and reconstructions (right)</h2>
${pairs}
</body></html>
`;
}
