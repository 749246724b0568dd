/** Scene statistics as text for prompts: what Blender actually built, object by object. */
import type { ObjectStats } from "../blender/protocol.ts";

function fmt(values: readonly number[]): string {
  return `[${values.map((v) => Number(v.toFixed(3))).join(", ")}]`;
}

export function sceneStatsText(objects: readonly ObjectStats[]): string {
  if (objects.length === 0) return "(the scene has no objects)";
  return objects
    .map((o) => {
      const size = o.bboxMax.map((v, i) => v - o.bboxMin[i]!);
      const colour = o.baseColor ? ` colour ${fmt(o.baseColor)}` : "";
      return `- ${o.name} (${o.type}) at ${fmt(o.location)}, size ${fmt(size)}${o.materials.length ? `, materials ${o.materials.join(", ")}` : ""}${colour}`;
    })
    .join("\n");
}

/** The mesh objects a program built: what scaffold coverage is judged on. */
export function meshNames(objects: readonly ObjectStats[]): string[] {
  return objects.filter((o) => o.type === "MESH").map((o) => o.name);
}
