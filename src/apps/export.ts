/** Exporting a scene program to files other tools open: a .blend and glTF binary (.glb). */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
import { SeigError } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import { type Resolution, resolutionFor, withResolution } from "../program/resolution.ts";

export interface ExportRequest {
  source: string;
  blend?: string;
  glb?: string;
  /** The frame to save; the program's own (the photo's) when omitted. */
  resolution?: Resolution;
}

/**
 * Builds the program in a worker, saves there, and copies the files out of the sandbox. The
 * program is given its resolution first, so the footer's build() sets the frame: the .blend
 * opens with the photo's size and render settings, and the glTF camera gets the photo's aspect
 * ratio and the vertical field of view Blender's camera has at that aspect.
 */
export async function exportProgram(pool: BlenderPool, request: ExportRequest): Promise<string[]> {
  const framed = withResolution(request.source, resolutionFor(request.source, request.resolution));
  const outDir = path.join(pool.workDir, `export-${Date.now()}`);
  const reply = await pool.run({
    body: programBody(framed),
    outDir,
    saveBlend: request.blend ? path.join(outDir, "scene.blend") : undefined,
    saveGlb: request.glb ? path.join(outDir, "scene.glb") : undefined,
  });
  if (!reply.ok) throw new SeigError(`the program failed: ${reply.error?.message}`);
  const written: string[] = [];
  for (const [target, name] of [
    [request.blend, "scene.blend"],
    [request.glb, "scene.glb"],
  ] as const) {
    if (!target) continue;
    await mkdir(path.dirname(path.resolve(target)), { recursive: true });
    await copyFile(path.join(outDir, name), target);
    written.push(target);
  }
  return written;
}
