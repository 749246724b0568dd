/** Material: colour and surface finish of every object and the ground (the `seig:material` section). */
import type { StageDefinition } from "./stage-definition.ts";

export const materialStage: StageDefinition = {
  stage: "material",
  factor: "material",
  roundBudget: 3,
  offline: {
    tunables: [
      { quantity: "color", owner: "object", range: { kind: "absolute", min: 0, max: 1 } },
      { quantity: "roughness", owner: "object", range: { kind: "absolute", min: 0.05, max: 1 } },
      { quantity: "metallic", owner: "object", range: { kind: "absolute", min: 0, max: 1 } },
      { quantity: "color", owner: "ground", range: { kind: "absolute", min: 0, max: 1 } },
    ],
    moves: ["colour", "finish", "colour"],
  },
};
