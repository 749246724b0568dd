/**
 * How the library is told which program to use: its text, or a path to a program file or to a
 * run folder holding program.py. Either way it is checked for the scene-program shape and the
 * static screen's import rules before anything runs.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { assertValidProgram } from "../program/validate.ts";

export type ProgramRef = { source: string } | { path: string };

export interface LoadedProgram {
  /** The file it came from (null for text). */
  file: string | null;
  source: string;
}

export async function readProgramFile(target: string): Promise<{ file: string; source: string }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new InputError(`${target} does not exist`);
  const file = info.isDirectory() ? path.join(target, "program.py") : target;
  const source = await readFile(file, "utf8").catch(() => {
    throw new InputError(`${target} is a folder without program.py`);
  });
  assertValidProgram(source);
  return { file, source };
}

export async function loadProgram(ref: ProgramRef): Promise<LoadedProgram> {
  if ("path" in ref) return readProgramFile(ref.path);
  assertValidProgram(ref.source);
  return { file: null, source: ref.source };
}
