/**
 * What each stage may write, said up front in its prompts the way the scope check judges it
 * (src/agent/scope-check.ts): the section's own writes are checked as well as the built scene, and
 * quantities that follow from the stage's own change are allowed.
 */
import type { Stage } from "../../program/sections.ts";

const RULES: Readonly<Record<Stage, string>> = {
  geometry:
    "Your section may write meshes and object sizes: obj.dimensions or obj.scale on a mesh count as geometry as long as compose() does not set them. " +
    "Objects keep the location and rotation compose() gives them; if compose() derives a height from a size key you change (e.g. z = size / 2), the resting height that follows is allowed. " +
    "Do not write locations, rotations, materials, lights or the camera here.",
  material:
    "Your section may write materials only: node trees, base colour, roughness, metallic, and which material each object uses. " +
    "Do not write meshes, sizes, locations, rotations, lights or the camera here.",
  composition:
    "Your section may write object locations, rotations and parenting, and the camera (obj.scale only where compose() already sets it). " +
    "Sizes belong to the geometry stage; materials and lights to theirs.",
  lighting:
    "Your section may write lights, the world background and exposure only. Do not write meshes, materials, transforms or the camera here.",
};

export function scopeRules(stage: Stage): string {
  return `Scope: ${RULES[stage]} Both what your section's code writes and the built scene are checked: a write outside the stage is rejected even when a later section would overwrite it, and the rejection names the property, the object and the stage that owns it.`;
}
