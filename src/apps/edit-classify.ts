/** Which stage an edit instruction belongs to: the generator reads the program and the render and picks one. */
import { z } from "zod";
import type { AgentContext } from "../agent/context.ts";
import { askParsed } from "../agent/model-call.ts";
import { STAGES } from "../stages/index.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { EDIT_PLANNER_SYSTEM, type EditScene, editClassifyText } from "./edit-prompts.ts";

export const StageChoice = z.object({
  // Models capitalise or pluralise ("Materials"); the stage names are ours to normalise.
  stage: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase().replace(/s$/, "") : v),
    z.enum(STAGES),
  ),
  reason: z.string().default(""),
});
export type StageChoice = z.infer<typeof StageChoice>;

export async function classifyInstruction(
  ctx: AgentContext,
  scene: EditScene,
  renderPng: string,
): Promise<StageChoice> {
  const { value } = await askParsed(
    ctx.generator,
    {
      purpose: "edit-classify",
      system: EDIT_PLANNER_SYSTEM,
      parts: [textPart(editClassifyText(scene)), imagePart("The scene as rendered now:", renderPng)],
      maxOutputTokens: 1000,
      temperature: 0,
    },
    (reply) => extractJson(reply, StageChoice),
    ctx.reaskLimit,
  );
  return value;
}
