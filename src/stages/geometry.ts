/** Geometry: the shape and extent of every object (the `seig:geometry` section). */
import type { StageDefinition } from "./stage-definition.ts";

export const geometryStage: StageDefinition = {
  stage: "geometry",
  factor: "geometry",
  roundBudget: 5,
  offline: {
    // Sizes move within ±40 %: wider ranges let the search squash an object into a disc or a bar to hide a misplacement.
    tunables: [{ quantity: "size", owner: "object", range: { kind: "relative", min: 0.7, max: 1.4 } }],
    moves: ["add", "remove", "shape"],
  },
};
