/**
 * The verifier: target, render, side-by-side, orbit views and stats in; approval and a checklist
 * of discrepancies of the ACTIVE factor only out.
 */
import type { Stage } from "../stages/index.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { Verdict } from "./checklist.ts";
import type { AgentContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { askParsed } from "./model-call.ts";
import { blenderApiNotes } from "./prompts/blender-api-notes.ts";
import { VERIFIER_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";
import { sceneStatsText } from "./scene-stats.ts";
import { compactBody } from "./stage-messages.ts";
import type { ExtraView } from "./views.ts";

export interface VerifyInput {
  stage: Stage;
  attempt: Attempt;
  comparisonPng: string;
  extraViews: readonly ExtraView[];
  sceneGraphJson: string;
}

export async function verify(ctx: AgentContext, input: VerifyInput): Promise<Verdict> {
  const prompt = STAGE_DEFINITIONS[input.stage].prompt;
  const text = [
    promptTag({ kind: "verify", stage: input.stage }),
    `Verify the ${input.stage} stage of a Blender reconstruction of the target photo. Goal of this stage: ${prompt.goal}.`,
    `Report ONLY these kinds of discrepancies:\n${prompt.checks.map((c) => `- ${c}`).join("\n")}`,
    `IGNORE ${prompt.ignore}: they belong to the other stages.`,
    `Scene graph:\n\`\`\`json\n${input.sceneGraphJson}\n\`\`\``,
    `Current program (the ${input.stage} section in full; helper bodies and the other sections shortened to \`...\`):\n\`\`\`python\n${compactBody(input.attempt.source, input.stage)}\`\`\``,
    `The scene as built:\n${sceneStatsText(input.attempt.objects)}`,
    blenderApiNotes(ctx.blenderVersion),
    "Approve when nothing on the list is clearly wrong. Otherwise list each discrepancy with the object's name, the problem and a concrete fix (most important first).",
    'You may ask to see objects on their own next time with "isolate": ["name"].',
    'Reply with JSON only, in one ```json block: {"approved": false, "checklist": [{"object": "mug", "problem": "...", "fix": "..."}], "isolate": []}',
  ].join("\n\n");
  const { value } = await askParsed(
    ctx.verifier,
    {
      purpose: `verify:${input.stage}`,
      system: VERIFIER_SYSTEM,
      parts: [
        textPart(text),
        imagePart("Target photo:", ctx.targetPng),
        imagePart("Current render:", input.attempt.render),
        imagePart("Side by side (target left, current render right):", input.comparisonPng),
        ...input.extraViews.map((v) => imagePart(v.label, v.path)),
      ],
      maxOutputTokens: ctx.maxTokens.verify,
      temperature: 0,
    },
    (reply) => extractJson(reply, Verdict),
    ctx.reaskLimit,
  );
  return value;
}
