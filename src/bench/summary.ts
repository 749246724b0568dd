/**
 * `seig bench summary`: one row per benchmark run (a suite), the mean of every metric over
 * the scenes that have it — the table docs/results.md keeps. It can replace the block
 * between the `bench-summary` markers of a Markdown file, so the document's prose stays
 * hand-written while its numbers are regenerated. A run still in progress (no results.json
 * yet) is summarised from the score.json of the scenes it has finished.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { type RunColumn, readRun } from "./compare.ts";
import { RESULTS_JSON } from "./outputs.ts";
import { SCORE_FILE, SceneScore, tableRows } from "./run.ts";
import { COLUMNS, formatValue, markdownTable, presentColumns, summarise } from "./table.ts";

export const SUMMARY_START = "<!-- bench-summary:start -->";
export const SUMMARY_END = "<!-- bench-summary:end -->";

/** A finished run from its results.json; an unfinished one from its scenes' score files. */
export async function readRunOrScores(dir: string): Promise<RunColumn> {
  if (await stat(path.join(dir, RESULTS_JSON)).catch(() => null)) return readRun(dir);
  const scenes = await readdir(path.join(dir, "scenes")).catch(() => {
    throw new InputError(`${dir} has neither ${RESULTS_JSON} nor scenes/ — give folders of seig bench run`);
  });
  const scores: SceneScore[] = [];
  for (const scene of scenes.sort()) {
    const text = await readFile(path.join(dir, "scenes", scene, SCORE_FILE), "utf8").catch(() => null);
    const parsed = text === null ? null : SceneScore.safeParse(JSON.parse(text));
    if (parsed?.success) scores.push(parsed.data);
  }
  return {
    label: `unfinished (${path.basename(path.resolve(dir))}, ${scores.length} of ${scenes.length} scenes)`,
    rows: tableRows(scores),
  };
}

/** Means per run; a column appears when any run has it. `failed` counts scenes that errored. */
export function summaryMarkdown(runs: readonly RunColumn[]): string {
  const rows = runs.flatMap((r) => r.rows);
  const columns = presentColumns(rows, COLUMNS);
  const header = [
    "run",
    "scenes",
    "failed",
    ...columns.map((c) => `${c.label} ${c.better === "higher" ? "↑" : "↓"}`),
  ];
  const body = runs.map((r) => {
    const summary = summarise(r.rows, columns);
    return [
      r.label,
      String(r.rows.length),
      String(r.rows.filter((row) => row.error).length),
      ...summary.map((s, i) => formatValue(s.mean, columns[i]!.digits)),
    ];
  });
  return markdownTable(header, body);
}

/** `doc` with the text between the summary markers replaced by `content`. */
export function replaceSummary(doc: string, content: string, file: string): string {
  const start = doc.indexOf(SUMMARY_START);
  const end = doc.indexOf(SUMMARY_END);
  if (start < 0 || end < start) {
    throw new InputError(`${file} has no ${SUMMARY_START} … ${SUMMARY_END} block; add the two markers`);
  }
  return `${doc.slice(0, start + SUMMARY_START.length)}\n${content.trimEnd()}\n${doc.slice(end)}`;
}

export async function writeSummaryInto(file: string, content: string): Promise<void> {
  const doc = await readFile(file, "utf8").catch(() => {
    throw new InputError(`cannot read ${file}; give an existing Markdown file to --doc`);
  });
  await writeFile(file, replaceSummary(doc, content, file));
}
