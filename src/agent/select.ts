/**
 * Pairwise judgement: which of two renders is closer to the target for one factor. The order the
 * two are shown in is randomised with a seeded coin (models favour a position); when the model
 * calls it even, the reconstruction loss decides.
 */
import { z } from "zod";
import { keysOwnedBy } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import type { Stage } from "../program/sections.ts";
import { STAGE_PROMPTS } from "../stages/prompts/index.ts";
import { VERIFIER_SYSTEM } from "../stages/prompts/system.ts";
import { promptTag } from "../stages/prompts/tag.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { type CoinState, flipCoin } from "./coin.ts";
import type { AgentContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { askParsed } from "./model-call.ts";

const Judgement = z.object({ better: z.enum(["A", "B", "same"]), reason: z.string().default("") });

export interface PairResult {
  /** True when the challenger wins. */
  challengerWins: boolean;
  reason: string;
  decidedBy: "model" | "metrics";
  coin: CoinState;
}

/** The PARAMS the stage owns, as a JSON block: lets the judge see what differs beyond pixels. */
function ownedParams(attempt: Attempt, stage: Stage): string {
  const program = parseProgram(attempt.source);
  const owned = Object.fromEntries(keysOwnedBy(program, stage).map((k) => [k, program.params[k]]));
  return `\`\`\`json\n${JSON.stringify(owned)}\n\`\`\``;
}

export async function comparePair(
  ctx: AgentContext,
  stage: Stage,
  incumbent: Attempt,
  challenger: Attempt,
  coin: CoinState,
): Promise<PairResult> {
  const flip = flipCoin(coin);
  const [a, b] = flip.heads ? [challenger, incumbent] : [incumbent, challenger];
  const prompt = STAGE_PROMPTS[stage];
  const text = [
    promptTag({ kind: "compare", stage }),
    `Two renders, A and B, reconstruct the target photo. Which is closer to the photo in ${stage}: ${prompt.goal}?`,
    `Judge ${stage} only; ignore ${prompt.ignore}.`,
    `The ${stage} PARAMS behind A:\n${ownedParams(a, stage)}`,
    `The ${stage} PARAMS behind B:\n${ownedParams(b, stage)}`,
    'Reply with JSON only, in one ```json block: {"better": "A" | "B" | "same", "reason": "one sentence"}',
  ].join("\n\n");
  const { value } = await askParsed(
    ctx.verifier,
    {
      purpose: `compare:${stage}`,
      system: VERIFIER_SYSTEM,
      parts: [
        textPart(text),
        imagePart("Target photo:", ctx.targetPng),
        imagePart("Image A:", a.render),
        imagePart("Image B:", b.render),
      ],
      maxOutputTokens: 1000,
      temperature: 0,
    },
    (reply) => extractJson(reply, Judgement),
    ctx.reaskLimit,
  );
  if (value.better === "same") {
    const challengerWins = challenger.loss < incumbent.loss;
    return {
      challengerWins,
      reason: `the model saw no difference; loss ${challenger.loss.toFixed(5)} vs ${incumbent.loss.toFixed(5)}`,
      decidedBy: "metrics",
      coin: flip.next,
    };
  }
  const winner = value.better === "A" ? a : b;
  return { challengerWins: winner === challenger, reason: value.reason, decidedBy: "model", coin: flip.next };
}
