/** seig's own version, from package.json: the one place it is written down. */
import { readFileSync } from "node:fs";

export const SEIG_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** The `versions` field of run.json: what produced a run, so a result can be traced to its tools. */
export function versions(blender: string): { seig: string; node: string; blender: string } {
  return { seig: SEIG_VERSION, node: process.version, blender };
}
