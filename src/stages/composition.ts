/**
 * Composition: where objects stand and turn, and the camera (the `seig:composition` section).
 * The offline search leaves the camera where initialisation fitted it together with the
 * objects placed through it: moving the camera alone would move every object on screen.
 */
import type { StageDefinition } from "./stage-definition.ts";

export const compositionStage: StageDefinition = {
  stage: "composition",
  factor: "composition",
  roundBudget: 3,
  offline: {
    tunables: [
      // Objects stand on the ground (ground-contact sets Z), so only X and Y move.
      { quantity: "location", owner: "object", range: { kind: "delta", by: 0.8 }, components: [0, 1] },
      { quantity: "rotation_deg", owner: "object", range: { kind: "delta", by: 45 }, components: [2] },
    ],
    moves: ["ground-contact"],
  },
};
