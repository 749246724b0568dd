/** Lighting: sun, world and exposure (the `seig:lighting` section). */
import type { StageDefinition } from "./stage-definition.ts";

export const lightingStage: StageDefinition = {
  stage: "lighting",
  factor: "lighting",
  roundBudget: 2,
  offline: {
    tunables: [
      { quantity: "elevation_deg", owner: "sun", range: { kind: "absolute", min: 10, max: 85 } },
      { quantity: "azimuth_deg", owner: "sun", range: { kind: "delta", by: 180 } },
      { quantity: "strength", owner: "sun", range: { kind: "relative", min: 0.3, max: 3 } },
      { quantity: "strength", owner: "world", range: { kind: "relative", min: 0.3, max: 3 } },
      { quantity: "exposure", owner: "render", range: { kind: "absolute", min: -1.5, max: 1.5 } },
    ],
    moves: [],
  },
};
