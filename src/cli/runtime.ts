/** Starting the Blender pool from CLI options, and reading a program argument. */

import { readProgramFile } from "../api/program-ref.ts";
import { BlenderPool } from "../blender/pool.ts";
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
export const readProgramArgument = readProgramFile;
