/**
 * Composition: where objects stand and turn, and the camera (the `compose` section).
 * The offline search leaves the camera where initialisation fitted it together with the
 * objects placed through it: moving the camera alone would move every object on screen.
 */
import type { StageDefinition } from "./stage.ts";

export const compositionStage: StageDefinition = {
  stage: "composition",
  section: "compose",
  roundBudget: 3,
  params: [
    { owner: "object", quantity: "location" },
    { owner: "object", quantity: "rotation_deg" },
    { owner: "camera", quantity: "location" },
    { owner: "camera", quantity: "look_at" },
    { owner: "camera", quantity: "lens_mm" },
    { owner: "camera", quantity: "sensor_mm" },
  ],
  offline: {
    tunables: [
      // Objects stand on the ground (ground-contact sets Z), so only X and Y move.
      { quantity: "location", owner: "object", range: { kind: "delta", by: 0.8 }, components: [0, 1] },
      { quantity: "rotation_deg", owner: "object", range: { kind: "delta", by: 45 }, components: [2] },
    ],
    moves: ["ground-contact"],
  },
  prompt: {
    goal: "every object stands where it does in the photo, turned the same way, resting on what supports it, seen through the same camera",
    edits:
      "object locations, rotations, parenting and support relations, and the camera (position, target, lens). Do not change meshes, materials or lights.",
    checks: [
      "an object is in the wrong place in the frame, or floats above / sinks into what supports it",
      "an object is turned differently from the photo",
      "the camera sees the scene from another height, angle or distance, or with another field of view",
    ],
    ignore: "shapes and sizes, colours and materials, and the lighting",
    scope:
      "Your section may write object locations, rotations and parenting, and the camera (obj.scale only where compose() already sets it). " +
      "Sizes belong to the geometry stage; materials and lights to theirs.",
  },
};
