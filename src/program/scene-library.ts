/**
 * The Blender-side scene library: one Python module per stage under
 * src/blender/python/scene/ (geometry, material, composition, lighting), BlenderProc-style
 * small functions with explicit arguments. Programs embed the modules' bodies in their
 * header, so a saved program runs on its own with nothing of seig installed.
 */
import { readFileSync } from "node:fs";
import { SeigError } from "../errors.ts";
import { STAGES, type Stage } from "../stages/index.ts";

const IMPORTS = "import bpy, bmesh, math\nfrom mathutils import Vector\n";

function moduleFile(stage: Stage): URL {
  return new URL(`../blender/python/scene/${stage}.py`, import.meta.url);
}

/**
 * A module's body without its docstring and imports (the program header imports once).
 * Read on each call (the files are small) so there is no cached state to go stale.
 */
export function moduleBody(stage: Stage): string {
  const file = moduleFile(stage);
  const lines = readFileSync(file, "utf8").replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  if (lines[0]?.startsWith('"""')) {
    const oneLine = lines[0].length > 3 && lines[0].trimEnd().endsWith('"""');
    if (!oneLine) while (i + 1 < lines.length && !lines[++i]!.trimEnd().endsWith('"""'));
    i++;
  }
  while (i < lines.length && /^(import |from |\s*$)/.test(lines[i]!)) i++;
  const body = lines.slice(i).join("\n").trimEnd();
  if (!body) throw new SeigError(`${file.pathname} has no definitions; reinstall seig`);
  return body + "\n";
}

/** The header text every emitted program carries: imports, then each stage's helpers in stage order. */
export function sceneLibrary(): string {
  return `${IMPORTS}\n${STAGES.map(moduleBody).join("\n\n")}`;
}
