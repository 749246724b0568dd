/** Starting the Blender pool from CLI options, and reading a program argument. */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { BlenderPool } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import { assertValidProgram } from "../program/validate.ts";
import type { RuntimeOptions } from "./options.ts";

export async function startPool(options: RuntimeOptions, writableDirs: string[] = []): Promise<BlenderPool> {
  if (options.unsafeNoSandbox) {
    process.stderr.write(
      "seig: WARNING: --unsafe-no-sandbox: generated programs run without an OS sandbox\n",
    );
  }
  return BlenderPool.start({
    size: options.concurrency,
    sandbox: options.unsafeNoSandbox ? "none" : "auto",
    writableDirs,
  });
}

/** A program file, or a run folder holding program.py, checked for the scene-program shape. */
export async function readProgramArgument(target: string): Promise<{ file: string; source: string }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new InputError(`${target} does not exist`);
  const file = info.isDirectory() ? path.join(target, "program.py") : target;
  const source = await readFile(file, "utf8").catch(() => {
    throw new InputError(`${target} is a folder without program.py`);
  });
  assertValidProgram(source);
  return { file, source };
}
