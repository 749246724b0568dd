/** Geometry: the shape and extent of every object (the `seig:geometry` section). */
import type { StageDefinition } from "./stage-definition.ts";

export const geometryStage: StageDefinition = {
  stage: "geometry",
  factor: "geometry",
  roundBudget: 5,
  offline: {
    tunables: [{ quantity: "size", owner: "object", range: { kind: "relative", min: 0.5, max: 2 } }],
    structuralMoves: true,
  },
};
