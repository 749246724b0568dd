/** The four stages in the paper's order: geometry → material → composition → lighting. */
import type { Stage } from "../program/sections.ts";
import { compositionStage } from "./composition.ts";
import { geometryStage } from "./geometry.ts";
import { lightingStage } from "./lighting.ts";
import { materialStage } from "./material.ts";
import type { StageDefinition } from "./stage-definition.ts";

export const STAGE_DEFINITIONS: Readonly<Record<Stage, StageDefinition>> = {
  geometry: geometryStage,
  material: materialStage,
  composition: compositionStage,
  lighting: lightingStage,
};
