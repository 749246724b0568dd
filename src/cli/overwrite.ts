/**
 * Outputs are never replaced silently: a command that would write over an earlier output
 * refuses with one line, and `--force` removes the earlier files first so nothing stale stays
 * beside the new ones (an earlier 8-view orbit's orbit_07.png would end up in a 4-view turntable).
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { pathExists } from "../path-exists.ts";

/** The files of `dir` a command writes (by name), or [] when the folder does not exist. */
export async function ownOutputs(dir: string, names: RegExp): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((name) => names.test(name)).map((name) => path.join(dir, name));
}

/**
 * Refuses when any of `files` exists, with `found` saying what is there (`x.py already
 * exists`); with `force`, deletes them instead.
 */
export async function claimOutputs(found: string, files: string[], force: boolean): Promise<void> {
  const present: string[] = [];
  for (const file of files) if (await pathExists(file)) present.push(file);
  if (present.length === 0) return;
  if (!force) throw new InputError(`${found}: use --force to replace it`);
  await Promise.all(present.map((file) => rm(file, { force: true })));
}
