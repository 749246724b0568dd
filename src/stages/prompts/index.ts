/** The four stages' prompts, by stage. */
import type { Stage } from "../../program/sections.ts";
import { compositionPrompt } from "./composition.ts";
import { geometryPrompt } from "./geometry.ts";
import { lightingPrompt } from "./lighting.ts";
import { materialPrompt } from "./material.ts";
import type { StagePrompt } from "./stage-prompt.ts";

export const STAGE_PROMPTS: Readonly<Record<Stage, StagePrompt>> = {
  geometry: geometryPrompt,
  material: materialPrompt,
  composition: compositionPrompt,
  lighting: lightingPrompt,
};
