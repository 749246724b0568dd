/**
 * Writes a benchmark run's reports into its folder: results.json (rows, summary and the
 * run's settings), results.csv, results.md, charts under plots/ (SVG and PNG) and
 * index.html.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { benchPage } from "./page.ts";
import { barChart, lineChart, type Series, writeChart } from "./plots.ts";
import { type SceneScore, tableRows } from "./run.ts";
import { COLUMNS, presentColumns, summarise, tableCsv, tableMarkdown } from "./table.ts";

export const RESULTS_JSON = "results.json";

export interface RunMeta {
  method: string;
  benchDir: string;
  command: string;
  options: Record<string, unknown>;
}

function charts(scores: readonly SceneScore[]): { name: string; svg: string }[] {
  const rows = tableRows(scores);
  const out: { name: string; svg: string }[] = [];
  for (const column of presentColumns(rows).filter((c) =>
    ["psnr", "ssim", "lpips", "positionErr"].includes(c.key),
  )) {
    const bars = rows
      .filter((r) => typeof r.values[column.key] === "number")
      .map((r) => ({ label: r.scene, value: r.values[column.key]! }));
    out.push({
      name: `${column.key}_per_scene`,
      svg: barChart(`${column.label} per scene`, column.label, bars),
    });
  }
  const staged = scores.filter((s) => s.stages.some((p) => p.psnr !== null));
  if (staged.length > 0) {
    const labels = staged.reduce<string[]>(
      (a, s) => (s.stages.length > a.length ? s.stages.map((p) => p.stage) : a),
      [],
    );
    const series: Series[] = staged.map((s) => ({
      name: s.scene,
      points: s.stages.flatMap((p, i) => (p.psnr === null ? [] : [[i, p.psnr] as [number, number]])),
    }));
    out.push({
      name: "psnr_per_stage",
      svg: lineChart(
        "PSNR after each stage (as the method measured it)",
        { x: "stage", y: "PSNR (dB)" },
        series,
        labels,
      ),
    });
    const byRenders: Series[] = staged
      .map((s) => ({
        name: s.scene,
        points: s.stages.flatMap((p) =>
          p.psnr === null || p.renders === null ? [] : [[p.renders, p.psnr] as [number, number]],
        ),
      }))
      .filter((s) => s.points.length > 0);
    if (byRenders.length > 0) {
      out.push({
        name: "psnr_vs_renders",
        svg: lineChart("PSNR against renders spent", { x: "renders", y: "PSNR (dB)" }, byRenders),
      });
    }
  } else {
    const points = scores
      .filter((s) => typeof s.values["renders"] === "number" && typeof s.values["psnr"] === "number")
      .map((s) => [s.values["renders"]!, s.values["psnr"]!] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    if (points.length > 0) {
      out.push({
        name: "psnr_vs_renders",
        svg: lineChart("PSNR against renders spent", { x: "renders", y: "PSNR (dB)" }, [
          { name: "scenes", points },
        ]),
      });
    }
  }
  return out;
}

export async function writeBenchOutputs(
  outDir: string,
  scores: readonly SceneScore[],
  meta: RunMeta,
): Promise<string[]> {
  const rows = tableRows(scores);
  const summary = summarise(rows, COLUMNS);
  const written = [RESULTS_JSON, "results.csv", "results.md", "index.html"].map((f) => path.join(outDir, f));
  await writeFile(
    written[0]!,
    `${JSON.stringify({ ...meta, scenes: rows.length, failed: rows.filter((r) => r.error).length, summary, rows, scores }, null, 2)}\n`,
  );
  await writeFile(written[1]!, tableCsv(rows));
  await writeFile(
    written[2]!,
    `# ${meta.method} on ${meta.benchDir}\n\n\`${meta.command}\`\n\n${tableMarkdown(rows)}`,
  );
  await mkdir(path.join(outDir, "plots"), { recursive: true });
  const made = charts(scores);
  for (const chart of made) {
    const base = path.join(outDir, "plots", chart.name);
    await writeChart(chart.svg, base);
    written.push(`${base}.svg`, `${base}.png`);
  }
  await writeFile(
    written[3]!,
    benchPage({
      title: `seig bench: ${meta.method} on ${path.basename(path.resolve(meta.benchDir))}`,
      outDir,
      scores,
      charts: made.map((c) => `plots/${c.name}`),
      notes: [
        `Command: ${meta.command}`,
        "LPIPS backbone as reported by the metric models (SqueezeNet unless another model is given).",
      ],
    }),
  );
  return written;
}
