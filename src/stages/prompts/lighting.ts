import type { StagePrompt } from "./stage-prompt.ts";

export const lightingPrompt: StagePrompt = {
  stage: "lighting",
  goal: "the light matches the photo: direction and softness of shadows, brightness, light and sky colour, exposure",
  edits:
    "lights (type, direction, strength, colour, size), the world background, and exposure. Do not change meshes, materials, transforms or the camera.",
  checks: [
    "shadows fall in another direction or are harder or softer than in the photo",
    "the render is brighter or darker overall than the photo",
    "the background or the light has another colour than in the photo",
  ],
  ignore: "shapes and sizes, colours of objects, and where objects and the camera are",
};
