/**
 * Blender for tests that run it directly (standalone `blender -P program.py`, not the pool):
 * found the way seig finds it (BLENDER_PATH, then PATH), so no test hard-codes an install path.
 * A missing Blender fails these tests with findBlender's one-line reason; they never skip.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findBlender } from "../../src/blender/find.ts";

const run = promisify(execFile);

let found: Promise<string> | null = null;

export function blenderPath(): Promise<string> {
  found ??= findBlender().then(
    (b) => b.path,
    (e: Error) => {
      throw new Error(`this test runs Blender and is not skipped without it: ${e.message}`);
    },
  );
  return found;
}

/** `blender -b --factory-startup --python-exit-code 1 -P <program> -- <args>`; rejects (with stdout) on a Python error. */
export async function runProgramInBlender(
  program: string,
  args: readonly string[] = [],
): Promise<{ stdout: string; stderr: string }> {
  const blender = await blenderPath();
  return run(blender, ["-b", "--factory-startup", "--python-exit-code", "1", "-P", program, "--", ...args], {
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Renders a standalone scene program to `out` at width×height (the program's own --render option). */
export async function renderProgram(
  program: string,
  out: string,
  width: number,
  height: number,
  samples: number,
  seed?: number,
): Promise<void> {
  const args = ["--render", out, "--res", String(width), String(height), "--samples", String(samples)];
  await runProgramInBlender(program, seed === undefined ? args : [...args, "--seed", String(seed)]);
}
