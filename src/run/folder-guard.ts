/**
 * Before a run writes into its folder: a folder holding a previous run is never silently
 * mixed with a new one. Without --force the run refuses; with it the old run is removed
 * first. A folder that is not a seig run is never emptied (--force or not), and a run that is
 * still alive is never replaced.
 */
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { createRunFolder, type RunFolder } from "./folder.ts";
import { readRunStatus } from "./status.ts";

/**
 * Whether a folder's files make it a seig run: run.json (written first by every run now), a
 * resumable state, or — for runs from before run.json came first — target.png beside stages/.
 * A program.py alone is not enough: examples and a user's own programs are never a run to empty.
 */
function isRunFolder(names: readonly string[]): boolean {
  const has = (n: string) => names.includes(n);
  return (
    has("run.json") || has("checkpoint.json") || has("state.json") || (has("target.png") && has("stages"))
  );
}

export interface FolderCheck {
  /** The folder exists and holds a previous run that --force will remove. */
  replace: boolean;
}

async function entries(dir: string): Promise<string[] | null> {
  const info = await stat(dir).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) throw new InputError(`${dir} is a file, not a folder: choose another run folder`);
  return readdir(dir);
}

/**
 * Whether `dir` may become a new run's folder (nothing is changed here; `option` names the
 * command-line option for the messages). Throws a one-line InputError when it may not.
 */
export async function checkRunFolder(dir: string, force: boolean, option = "-o"): Promise<FolderCheck> {
  const names = await entries(dir);
  if (!names || names.length === 0) return { replace: false };
  if (!isRunFolder(names)) {
    throw new InputError(
      `${option} ${dir} is a non-empty folder that holds no seig run; choose a new or empty folder (--force replaces only run folders)`,
    );
  }
  const reading = await readRunStatus(dir);
  if (reading.kind === "run" && reading.status === "running") {
    throw new InputError(
      `${option} ${dir} holds a run still in progress (pid ${reading.json.pid}); wait for it or choose another folder`,
    );
  }
  if (!force) {
    const status = reading.kind === "run" ? reading.status : null;
    const resume =
      status === "interrupted" || status === "failed"
        ? reading.kind === "run" && reading.json.resume
        : undefined;
    throw new InputError(
      `${option} ${dir} holds a previous run${status ? ` (${status})` : ""}; ${resume ? `continue it with ${resume}, or ` : ""}use --force to replace it`,
    );
  }
  return { replace: true };
}

/** Empties a folder checkRunFolder allowed to replace (the folder itself stays). */
export async function emptyRunFolder(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(names.map((n) => rm(path.join(dir, n), { recursive: true, force: true })));
}

/**
 * A new run's folder: checked, then the input loaded (a photo that cannot be read fails here,
 * before any folder exists), then a replaced run's files removed and the folder created.
 */
export async function newRunFolder<T>(
  outDir: string,
  force: boolean,
  loadInput: () => Promise<T>,
): Promise<{ folder: RunFolder; input: T }> {
  const check = await checkRunFolder(outDir, force);
  const input = await loadInput();
  if (check.replace) await emptyRunFolder(outDir);
  return { folder: await createRunFolder(outDir), input };
}
