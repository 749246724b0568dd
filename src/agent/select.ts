/**
 * Pairwise judgement: which of two renders is closer to the target for one factor. The order the
 * two are shown in is randomised with a seeded coin (models favour a position); when the model
 * calls it even, the reconstruction loss decides. The judge breaks ties and turns down metric-only
 * "wins" that break the checklist, but it cannot overrule a clear regression: a challenger whose
 * loss is more than REGRESSION_MARGIN above the incumbent's is reverted without asking.
 */
import { createTwoFilesPatch } from "diff";
import { z } from "zod";
import { keysOwnedBy } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import type { Stage } from "../stages/index.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { type CoinState, flipCoin } from "./coin.ts";
import type { AgentContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { askParsed } from "./model-call.ts";
import { VERIFIER_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";

/**
 * How much worse (relative reconstruction loss) a candidate may measure and still be accepted on the
 * judge's word: 10 % of the loss, about 0.4 dB of PSNR. Enough for changes the pixels misjudge (a
 * corrected size that is not yet in its final place), far below the 1.7 dB lighting drop a judge
 * once approved.
 */
export const REGRESSION_MARGIN = 0.1;

/** At most this many characters of the code diff go into the judge's prompt. */
const DIFF_CHARS = 4000;

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

/** The change of the stage's section from A to B, as a bounded unified diff. */
function codeChange(a: Attempt, b: Attempt, stage: Stage): string {
  const [sa, sb] = [parseProgram(a.source).sections[stage], parseProgram(b.source).sections[stage]];
  if (sa === sb) return `The ${stage} code of A and B is the same; only the PARAMS differ.`;
  const patch = createTwoFilesPatch("A", "B", sa, sb, undefined, undefined, { context: 2 });
  const body = patch.length > DIFF_CHARS ? `${patch.slice(0, DIFF_CHARS)}\n[... diff cut ...]` : patch;
  return `How the ${stage} code of B differs from A's:\n\`\`\`diff\n${body.trimEnd()}\n\`\`\``;
}

export async function comparePair(
  ctx: AgentContext,
  stage: Stage,
  incumbent: Attempt,
  challenger: Attempt,
  coin: CoinState,
): Promise<PairResult> {
  if (challenger.loss > incumbent.loss * (1 + REGRESSION_MARGIN)) {
    const worse = ((challenger.loss / incumbent.loss - 1) * 100).toFixed(0);
    return {
      challengerWins: false,
      reason: `its loss ${challenger.loss.toFixed(5)} is ${worse}% above the current ${incumbent.loss.toFixed(5)}, more than the ${REGRESSION_MARGIN * 100}% a judge may overrule`,
      decidedBy: "metrics",
      coin,
    };
  }
  const flip = flipCoin(coin);
  const [a, b] = flip.heads ? [challenger, incumbent] : [incumbent, challenger];
  const prompt = STAGE_DEFINITIONS[stage].prompt;
  const text = [
    promptTag({ kind: "compare", stage }),
    `Two renders, A and B, reconstruct the target photo. Which is closer to the photo in ${stage}: ${prompt.goal}?`,
    `Judge ${stage} only; ignore ${prompt.ignore}.`,
    `The ${stage} PARAMS behind A:\n${ownedParams(a, stage)}`,
    `The ${stage} PARAMS behind B:\n${ownedParams(b, stage)}`,
    codeChange(a, b, stage),
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
      maxOutputTokens: ctx.maxTokens.compare,
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
