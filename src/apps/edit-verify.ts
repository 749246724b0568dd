/** The edit's verifier: before, after and the instruction in; whether it was carried out, and why, out. */
import { z } from "zod";
import type { AgentContext } from "../agent/context.ts";
import { askParsed } from "../agent/model-call.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { EDIT_VERIFIER_SYSTEM, type EditVerifyInput, editVerifyText } from "./edit-prompts.ts";

export const EditVerdict = z.object({ carried_out: z.boolean(), reason: z.string().default("") });

export interface EditImages {
  before: string;
  after: string;
  /** Before left, after right. */
  comparison: string;
}

export async function verifyEdit(
  ctx: AgentContext,
  input: EditVerifyInput,
  images: EditImages,
): Promise<{ carriedOut: boolean; reason: string }> {
  const { value } = await askParsed(
    ctx.verifier,
    {
      purpose: `edit-verify:${input.stage}`,
      system: EDIT_VERIFIER_SYSTEM,
      parts: [
        textPart(editVerifyText(input)),
        imagePart("Before the edit:", images.before),
        imagePart("After the edit:", images.after),
        imagePart("Side by side (before left, after right):", images.comparison),
      ],
      maxOutputTokens: 1000,
      temperature: 0,
    },
    (reply) => extractJson(reply, EditVerdict),
    ctx.reaskLimit,
  );
  return { carriedOut: value.carried_out, reason: value.reason };
}
