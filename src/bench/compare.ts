/**
 * `seig bench compare`: benchmark runs side by side — mean and median of every metric and
 * how many scenes (of those every run finished) each run wins; a tie wins for nobody.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { RESULTS_JSON } from "./outputs.ts";
import {
  COLUMNS,
  formatValue,
  type MetricColumn,
  markdownTable,
  mean,
  median,
  type TableRow,
} from "./table.ts";

const RunResults = z.object({
  method: z.string(),
  rows: z.array(
    z.object({
      scene: z.string(),
      values: z.record(z.string(), z.number().nullable()),
      error: z.string().optional(),
    }),
  ),
});

export interface RunColumn {
  /** The run's label: its method and folder name. */
  label: string;
  rows: TableRow[];
}

export interface MetricComparison {
  column: MetricColumn;
  perRun: { mean: number | null; median: number | null; wins: number }[];
  /** Scenes where every run has the metric. */
  shared: number;
}

export async function readRun(dir: string): Promise<RunColumn> {
  const file = path.join(dir, RESULTS_JSON);
  const text = await readFile(file, "utf8").catch(() => {
    throw new InputError(`${dir} has no ${RESULTS_JSON} — give folders written by seig bench run`);
  });
  const parsed = RunResults.safeParse(JSON.parse(text));
  if (!parsed.success) throw new InputError(`${file} is not a seig bench result; rerun seig bench run`);
  return { label: `${parsed.data.method} (${path.basename(path.resolve(dir))})`, rows: parsed.data.rows };
}

export function compareRuns(runs: readonly RunColumn[]): MetricComparison[] {
  const value = (r: RunColumn, scene: string, key: string) => {
    const v = r.rows.find((row) => row.scene === scene)?.values[key];
    return typeof v === "number" ? v : null;
  };
  const scenes = [...new Set(runs.flatMap((r) => r.rows.map((row) => row.scene)))];
  return COLUMNS.map((column) => {
    const values = runs.map((r) =>
      r.rows.map((row) => row.values[column.key]).filter((v): v is number => typeof v === "number"),
    );
    const wins = runs.map(() => 0);
    let shared = 0;
    for (const scene of scenes) {
      const vs = runs.map((r) => value(r, scene, column.key));
      if (vs.some((v) => v === null)) continue;
      shared++;
      const best = column.better === "higher" ? Math.max(...(vs as number[])) : Math.min(...(vs as number[]));
      const winners = vs.flatMap((v, i) => (v === best ? [i] : []));
      if (winners.length === 1) wins[winners[0]!]!++;
    }
    return {
      column,
      perRun: values.map((v, i) => ({ mean: mean(v), median: median(v), wins: wins[i]! })),
      shared,
    };
  }).filter((c) => c.perRun.some((p) => p.mean !== null));
}

export function comparisonMarkdown(
  runs: readonly RunColumn[],
  comparisons: readonly MetricComparison[],
): string {
  const header = ["metric", ...runs.flatMap((r) => [`${r.label} mean`, "median", "wins"])];
  const body = comparisons.map((c) => [
    `${c.column.label} ${c.column.better === "higher" ? "↑" : "↓"} (${c.shared} shared)`,
    ...c.perRun.flatMap((p) => [
      formatValue(p.mean, c.column.digits),
      formatValue(p.median, c.column.digits),
      String(p.wins),
    ]),
  ]);
  return markdownTable(header, body);
}

export function comparisonCsv(runs: readonly RunColumn[], comparisons: readonly MetricComparison[]): string {
  const lines = ["metric,run,mean,median,wins,shared"];
  for (const c of comparisons) {
    c.perRun.forEach((p, i) => {
      lines.push(
        [
          c.column.key,
          `"${runs[i]!.label.replaceAll('"', '""')}"`,
          p.mean ?? "",
          p.median ?? "",
          p.wins,
          c.shared,
        ].join(","),
      );
    });
  }
  return `${lines.join("\n")}\n`;
}
