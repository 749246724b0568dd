/**
 * The runs folder as the front end sees it: a summary per run for the list, and a detail view
 * with stage images and download links. Everything is read through openRun (src/api).
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { type OpenedRun, openRun } from "../api/open-run.ts";
import { HttpError } from "./http-error.ts";
import type { LiveRuns } from "./live-runs.ts";
import { fileUrl, runDir } from "./run-files.ts";
import type { RunDetail, RunSummary, StageView } from "./wire.ts";

async function mtime(file: string): Promise<number | null> {
  return (await stat(file).catch(() => null))?.mtimeMs ?? null;
}

/** A file's URL when it exists, versioned by mtime so a browser never shows a stale render. */
async function urlIf(id: string, dir: string, rel: string): Promise<string | null> {
  const t = await mtime(path.join(dir, rel));
  return t === null ? null : fileUrl(id, rel, t);
}

/** The newest stage's best render: what the run currently looks like. */
export async function bestImage(id: string, dir: string, stages: readonly string[]): Promise<string | null> {
  for (const stage of [...stages].reverse()) {
    const url = await urlIf(id, dir, path.join("stages", stage, "best.png"));
    if (url) return url;
  }
  return null;
}

function metricOf(run: OpenedRun, key: "psnr" | "ssim" | "lpips"): number | null {
  const v = (run.metrics?.final as Record<string, unknown> | undefined)?.[key];
  return typeof v === "number" ? v : null;
}

async function summarise(id: string, run: OpenedRun, live: LiveRuns): Promise<RunSummary> {
  const handle = live.get(id);
  const date = (await stat(run.dir)).mtime.toISOString();
  return {
    id,
    status: handle?.status === "running" ? "running" : run.status,
    method: run.method,
    psnr: metricOf(run, "psnr"),
    ssim: metricOf(run, "ssim"),
    lpips: metricOf(run, "lpips"),
    date,
    thumbnail: (await urlIf(id, run.dir, "final.png")) ?? (await bestImage(id, run.dir, run.stages)),
    live: handle !== undefined,
  };
}

export async function listRuns(runsDir: string, live: LiveRuns): Promise<RunSummary[]> {
  const names = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const rows: RunSummary[] = [];
  for (const entry of names) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    // Folders that are not runs (or are half-written) are skipped, not errors.
    const run = await openRun(path.join(runsDir, entry.name)).catch(() => null);
    if (run) rows.push(await summarise(entry.name, run, live));
  }
  return rows.sort((a, b) => b.date.localeCompare(a.date));
}

const DOWNLOADS = [
  "program.py",
  "scene.blend",
  "final.png",
  "report.html",
  "run.json",
  "metrics.json",
  "trace.jsonl",
];

export async function openRunById(runsDir: string, id: string): Promise<OpenedRun> {
  return openRun(runDir(runsDir, id)).catch(() => {
    throw new HttpError(404, `no run ${id}`);
  });
}

/** A run this server just started, before its folder has anything openRun can read. */
function justStarted(id: string): RunDetail {
  const date = new Date().toISOString();
  const none = { psnr: null, ssim: null, lpips: null, thumbnail: null, target: null, final: null };
  return {
    id,
    status: "running",
    method: null,
    date,
    live: true,
    run: null,
    metrics: null,
    stages: [],
    files: [],
    ...none,
  };
}

export async function runDetail(runsDir: string, id: string, live: LiveRuns): Promise<RunDetail> {
  const handle = live.get(id);
  const run = await openRunById(runsDir, id).catch((e) => {
    if (handle?.status === "running") return null;
    throw e;
  });
  if (!run) return justStarted(id);
  const stageMetrics = (run.metrics?.stages ?? {}) as Record<string, Record<string, unknown>>;
  const stages: StageView[] = [];
  for (const name of run.stages) {
    stages.push({
      name,
      image: await urlIf(id, run.dir, path.join("stages", name, "best.png")),
      program: await urlIf(id, run.dir, path.join("stages", name, "program.py")),
      metrics: stageMetrics[name] ?? null,
    });
  }
  const files: { name: string; url: string }[] = [];
  for (const name of DOWNLOADS) {
    const url = await urlIf(id, run.dir, name);
    if (url) files.push({ name, url });
  }
  return {
    ...(await summarise(id, run, live)),
    run: run.run,
    metrics: run.metrics,
    target: await urlIf(id, run.dir, "target.png"),
    final: await urlIf(id, run.dir, "final.png"),
    stages,
    files,
  };
}
