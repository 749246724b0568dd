import type { StagePrompt } from "./stage-prompt.ts";

export const compositionPrompt: StagePrompt = {
  stage: "composition",
  goal: "every object stands where it does in the photo, turned the same way, resting on what supports it, seen through the same camera",
  edits:
    "object locations, rotations, parenting and support relations, and the camera (position, target, lens). Do not change meshes, materials or lights.",
  checks: [
    "an object is in the wrong place in the frame, or floats above / sinks into what supports it",
    "an object is turned differently from the photo",
    "the camera sees the scene from another height, angle or distance, or with another field of view",
  ],
  ignore: "shapes and sizes, colours and materials, and the lighting",
};
