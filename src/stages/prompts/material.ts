import type { StagePrompt } from "./stage-prompt.ts";

export const materialPrompt: StagePrompt = {
  stage: "material",
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
};
