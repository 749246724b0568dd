/** Material: colour and surface finish of every object and the ground (the `build_materials` section). */
import type { StageDefinition } from "./stage.ts";

export const materialStage: StageDefinition = {
  stage: "material",
  section: "build_materials",
  roundBudget: 3,
  params: [
    { owner: "object", quantity: "color" },
    { owner: "object", quantity: "roughness" },
    { owner: "object", quantity: "metallic" },
    { owner: "ground", quantity: "color" },
    { owner: "ground", quantity: "roughness" },
  ],
  offline: {
    tunables: [
      { quantity: "color", owner: "object", range: { kind: "absolute", min: 0, max: 1 } },
      { quantity: "roughness", owner: "object", range: { kind: "absolute", min: 0.05, max: 1 } },
      { quantity: "metallic", owner: "object", range: { kind: "absolute", min: 0, max: 1 } },
      { quantity: "color", owner: "ground", range: { kind: "absolute", min: 0, max: 1 } },
    ],
    moves: ["colour", "finish", "colour"],
  },
  prompt: {
    goal: "every object and the ground has the right base colour and surface finish (matte, glossy, metallic)",
    edits:
      "materials only: node trees, base colour, roughness, metallic, and which material each object uses. Do not change meshes, transforms, the camera or lights.",
    checks: [
      "an object's colour (hue, saturation or brightness) differs from the photo",
      "an object looks metallic in the photo but not in the render, or the reverse",
      "an object is glossy where the photo is matte, or the reverse",
    ],
    ignore:
      "shapes and sizes, where objects stand, the camera, and the lighting (judge colour under the lighting you see)",
    scope:
      "Your section may write materials only: node trees, base colour, roughness, metallic, and which material each object uses. " +
      "Do not write meshes, sizes, locations, rotations, lights or the camera here.",
  },
};
