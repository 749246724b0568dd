/**
 * Reading a run folder back: run.json and metrics.json validated with zod, program.py, and where
 * the images are. Both methods' writers are accepted (the agent and the offline method record
 * different extras, kept as they are); a malformed file is an InputError naming it.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { pathExists } from "../path-exists.ts";
import { MetricsFile, RunRecord, readRunFile } from "../run/files.ts";
import { isLive } from "../run/status.ts";

/** A `running` run whose process is gone (kill -9, power loss) reads as "interrupted" (src/run/status.ts). */
export type RunStatus = "running" | "interrupted" | "failed" | "done" | "incomplete";

export interface OpenedRun {
  dir: string;
  /** "incomplete": no run.json yet — the run is under way or was stopped before it finished. */
  status: RunStatus;
  method: string | null;
  run: RunRecord | null;
  metrics: MetricsFile | null;
  /** program.py's text, when the run got that far. */
  program: string | null;
  /** Stages with outputs in stages/, in the order they were written (scaffold first). */
  stages: string[];
  files: { program: string; final: string; target: string; report: string; blend: string };
}

const STAGE_ORDER = ["scaffold", "geometry", "material", "composition", "lighting"];

async function stagesIn(dir: string): Promise<string[]> {
  const names = await readdir(path.join(dir, "stages")).catch(() => [] as string[]);
  const rank = (s: string) => (STAGE_ORDER.includes(s) ? STAGE_ORDER.indexOf(s) : STAGE_ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function statusOf(run: RunRecord): RunStatus {
  const status = run.status ?? "done";
  return status === "running" && !isLive({ ...run, status }) ? "interrupted" : status;
}

export async function openRun(dir: string): Promise<OpenedRun> {
  const root = path.resolve(dir);
  const files = {
    program: path.join(root, "program.py"),
    final: path.join(root, "final.png"),
    target: path.join(root, "target.png"),
    report: path.join(root, "report.html"),
    blend: path.join(root, "scene.blend"),
  };
  const run = await readRunFile(path.join(root, "run.json"), RunRecord);
  if (!run && !(await pathExists(files.target)))
    throw new InputError(`${dir} is not a seig run folder (no run.json or target.png)`);
  const metrics = await readRunFile(path.join(root, "metrics.json"), MetricsFile);
  return {
    dir: root,
    status: run ? statusOf(run) : "incomplete",
    method: run?.method ?? metrics?.method ?? null,
    run,
    metrics,
    program: await readFile(files.program, "utf8").catch(() => null),
    stages: await stagesIn(root),
    files,
  };
}
