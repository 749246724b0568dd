/**
 * Benchmark results next to the runs: every folder under the bench folder (by default
 * `<runs>/bench/`, `seig serve --bench <dir>` to point elsewhere) that holds a results.json, as
 * `seig bench run --out` writes it. Its summary is recomputed with the bench's own table code, and its
 * page (index.html, plots/) is served as written — or, when index.html is missing, made again
 * from results.json with the bench's page builder.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { benchPage } from "../bench/page.ts";
import type { SceneScore } from "../bench/run.ts";
import { COLUMNS, presentColumns, summarise, type TableRow } from "../bench/table.ts";
import { HttpError } from "./http-error.ts";
import type { BenchSummary } from "./wire.ts";

/** A bench folder is addressed by its name inside the bench folder, like a run by its id. */
export const BenchName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "not a bench name");

const ResultsFile = z.looseObject({
  method: z.string().optional(),
  command: z.string().optional(),
  scenes: z.number().optional(),
  failed: z.number().optional(),
  rows: z.array(
    z.looseObject({
      scene: z.string(),
      values: z.record(z.string(), z.number().nullable()),
      error: z.string().optional(),
    }),
  ),
  scores: z.array(z.unknown()).optional(),
});

export function benchFolder(benchDir: string, name: string): string {
  if (!BenchName.safeParse(name).success)
    throw new HttpError(400, `not a bench name: ${JSON.stringify(name)}`);
  return path.join(benchDir, name);
}

async function readResults(dir: string): Promise<z.infer<typeof ResultsFile> | null> {
  const text = await readFile(path.join(dir, "results.json"), "utf8").catch(() => null);
  if (text === null) return null;
  const parsed = ResultsFile.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export function benchPageUrl(name: string): string {
  return `/bench/${encodeURIComponent(name)}/index.html`;
}

export async function listBench(benchDir: string): Promise<BenchSummary[]> {
  const entries = await readdir(benchDir, { withFileTypes: true }).catch(() => []);
  const out: BenchSummary[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !BenchName.safeParse(e.name).success) continue;
    const dir = path.join(benchDir, e.name);
    const results = await readResults(dir);
    if (!results) continue; // not a bench folder (or a half-written one)
    const rows = results.rows as TableRow[];
    const columns = presentColumns(rows);
    const means = summarise(rows, columns);
    out.push({
      name: e.name,
      method: results.method ?? null,
      scenes: results.scenes ?? rows.length,
      failed: results.failed ?? rows.filter((r) => r.error).length,
      date: (await stat(path.join(dir, "results.json"))).mtime.toISOString(),
      summary: means.map((m) => ({
        key: m.key,
        label: COLUMNS.find((c) => c.key === m.key)?.label ?? m.key,
        mean: m.mean,
      })),
      page: benchPageUrl(e.name),
    });
  }
  return out.sort((a, b) => b.date.localeCompare(a.date));
}

/** index.html made from results.json, for a folder whose page was not written (or was removed). */
export async function rebuiltPage(dir: string, name: string): Promise<string> {
  const results = await readResults(dir);
  if (!results) throw new HttpError(404, `no bench results ${name}`);
  const plots = await readdir(path.join(dir, "plots")).catch(() => [] as string[]);
  return benchPage({
    title: `seig bench: ${results.method ?? "?"} (${name})`,
    outDir: dir,
    scores: (results.scores ?? []) as SceneScore[],
    charts: plots.filter((f) => f.endsWith(".svg")).map((f) => `plots/${f.replace(/\.svg$/, "")}`),
    notes: results.command ? [`Command: ${results.command}`] : [],
  });
}
