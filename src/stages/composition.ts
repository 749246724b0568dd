/** Composition: where objects stand and turn, and the camera (the `seig:composition` section). */
import type { StageDefinition } from "./stage-definition.ts";

export const compositionStage: StageDefinition = {
  stage: "composition",
  factor: "composition",
  roundBudget: 3,
  offline: {
    tunables: [
      { quantity: "location", owner: "object", range: { kind: "delta", by: 0.8 } },
      { quantity: "rotation_deg", owner: "object", range: { kind: "delta", by: 45 }, components: [2] },
      { quantity: "lens_mm", owner: "camera", range: { kind: "relative", min: 0.8, max: 1.25 } },
      { quantity: "location", owner: "camera", range: { kind: "delta", by: 1.5 } },
    ],
    structuralMoves: false,
  },
};
