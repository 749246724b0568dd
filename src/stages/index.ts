/** The one registry of stages, in the paper's order: geometry → material → composition → lighting. */
import { compositionStage } from "./composition.ts";
import { geometryStage } from "./geometry.ts";
import { lightingStage } from "./lighting.ts";
import { materialStage } from "./material.ts";
import { type ParamOwner, STAGES, type Stage, type StageDefinition } from "./stage.ts";

export * from "./stage.ts";

export const STAGE_DEFINITIONS: Readonly<Record<Stage, StageDefinition>> = {
  geometry: geometryStage,
  material: materialStage,
  composition: compositionStage,
  lighting: lightingStage,
};

/** The stage whose file declares this PARAMS quantity, or null when none does. */
export function stageOwning(owner: ParamOwner, quantity: string): Stage | null {
  return (
    STAGES.find((s) =>
      STAGE_DEFINITIONS[s].params.some((p) => p.owner === owner && p.quantity === quantity),
    ) ?? null
  );
}
