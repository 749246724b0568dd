/**
 * What a scene program builds, without rendering it: its objects, its PARAMS grouped by the
 * stage whose section reads them, its camera and its lights (the MCP `get_scene` tool).
 */
import type { ObjectStats } from "../blender/protocol.ts";
import { SeigError } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import { paramOwners } from "../program/ownership.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import { type PoolChoice, withPool } from "./pool-source.ts";
import { loadProgram, type ProgramRef } from "./program-ref.ts";

export interface SceneInfo {
  objects: ObjectStats[];
  /** stage → its PARAMS; keys read by several sections appear under each; `unowned`: read by none. */
  paramsByStage: Record<string, Params>;
  camera: ObjectStats | null;
  lights: ObjectStats[];
}

export async function describeScene(program: ProgramRef, options: PoolChoice = {}): Promise<SceneInfo> {
  const { source } = await loadProgram(program);
  const parsed = parseProgram(source);
  const reply = await withPool(options, (pool) => pool.run({ body: programBody(source) }));
  if (!reply.ok) throw new SeigError(`the program failed: ${reply.error?.message}`);
  const paramsByStage: Record<string, Params> = {};
  for (const [key, stages] of Object.entries(paramOwners(parsed))) {
    for (const stage of stages.length ? stages : ["unowned"]) {
      paramsByStage[stage] ??= {};
      paramsByStage[stage][key] = parsed.params[key]!;
    }
  }
  const cameraName = reply.fingerprint?.composition["scene.camera"];
  return {
    objects: reply.objects,
    paramsByStage,
    camera: reply.objects.find((o) => o.type === "CAMERA" && o.name === cameraName) ?? null,
    lights: reply.objects.filter((o) => o.type === "LIGHT"),
  };
}
