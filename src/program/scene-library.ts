/**
 * The Blender-side scene library: one Python module per stage under
 * src/blender/python/scene/ (geometry, material, composition, lighting), BlenderProc-style
 * small functions with explicit arguments. Programs embed the modules' bodies in their
 * header, so a saved program runs on its own with nothing of seig installed. The shapes beyond
 * the basic five (python/scene/shapes.py) come right after geometry's helpers, and only in
 * programs that build one: a program of basic shapes reads byte for byte as it always did.
 */
import { readFileSync } from "node:fs";
import { SeigError } from "../errors.ts";
import { STAGES, type Stage } from "../stages/index.ts";

const IMPORTS = "import bpy, bmesh, math\nfrom mathutils import Vector\n";

/** A stage's module, or the module of the PARAMS-driven shapes that extends geometry's. */
export type SceneModule = Stage | "shapes";

function moduleFile(module: SceneModule): URL {
  return new URL(`../blender/python/scene/${module}.py`, import.meta.url);
}

/**
 * A module's body without its docstring and imports (the program header imports once).
 * Read on each call (the files are small) so there is no cached state to go stale.
 */
export function moduleBody(module: SceneModule): string {
  const file = moduleFile(module);
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

export interface LibraryOptions {
  /** Include the superquadric, capsule, lathe and extrusion (shapes.py). */
  shapes?: boolean;
}

/** The header text every emitted program carries: imports, then each stage's helpers in stage order. */
export function sceneLibrary(opts: LibraryOptions = {}): string {
  const modules: SceneModule[] = STAGES.flatMap((s) =>
    s === "geometry" && opts.shapes ? [s, "shapes" as const] : [s],
  );
  return `${IMPORTS}\n${modules.map(moduleBody).join("\n\n")}`;
}
