import type { StagePrompt } from "./stage-prompt.ts";

export const geometryPrompt: StagePrompt = {
  stage: "geometry",
  goal: "every object of the scene graph exists, with the right primitive shape and the right size and proportions",
  edits:
    "the mesh of every object: which primitive approximates it, its dimensions, and added or removed objects (names from the scene graph). Do not move, rotate, colour or light anything.",
  checks: [
    "an object of the photo is missing, or the render has an object the photo does not",
    "an object has the wrong primitive (a box where the photo has a ball or a cylinder)",
    "an object is too large, too small, too tall, too flat or too thin relative to the others",
  ],
  ignore: "colours and materials, where objects stand, the camera, and the lighting",
};
