/**
 * Whole programs from the generator (scaffolds, the one-shot baseline): parsed with or without
 * fences, completed with the canonical footer, validated, executed, and sent back for repair with
 * the error when they fail.
 */
import { programBody, withCanonicalFooter } from "../program/assemble.ts";
import { validateProgram } from "../program/validate.ts";
import type { VlmRequest, VlmResponse } from "../vlm/client.ts";
import { textPart } from "../vlm/message.ts";
import { extractCode, ModelOutputError, type Parsed } from "../vlm/parse.ts";
import type { CandidateStep } from "./candidate.ts";
import type { AgentContext } from "./context.ts";
import { type Attempt, describeFailure, executeProgram } from "./execute.ts";
import { askParsed, reaskText } from "./model-call.ts";
import { preflight } from "./preflight.ts";

/** A complete program (footer added) from a reply, or the validation problems as a re-ask. */
export function parseProgramReply(text: string): Parsed<string> {
  const code = extractCode(text);
  if (!code.ok) return code;
  const source = withCanonicalFooter(code.value);
  const validation = validateProgram(source);
  if (validation.ok) return { ok: true, value: source };
  return {
    ok: false,
    error: new ModelOutputError(
      `Your program does not follow the format: ${validation.problems.map((p) => p.message).join("; ")}. Send the complete corrected program in one \`\`\`python block.`,
    ),
  };
}

export interface ProgramResult {
  attempt: Attempt | null;
  steps: CandidateStep[];
}

/** A check of a program that ran (e.g. scaffold coverage): null to accept, else the problem. */
export type AcceptCheck = (attempt: Attempt) => string | null;

type Outcome = { ok: true; attempt: Attempt; note: string } | { ok: false; message: string; problem: string };

/** Pre-flight, run, and the caller's acceptance check: the first problem found, or the attempt. */
async function tryProgram(
  ctx: AgentContext,
  source: string,
  dir: string,
  accept?: AcceptCheck,
): Promise<Outcome> {
  const api = await preflight(ctx, source);
  if (!api.ok)
    return { ok: false, message: api.summary, problem: `was rejected before it ran:\n${api.problem}` };
  const run = await executeProgram(ctx, api.source, dir);
  if (!run.ok)
    return {
      ok: false,
      message: run.failure.message,
      problem: `failed when run:\n${describeFailure(run.failure, api.source)}`,
    };
  const unaccepted = accept?.(run.attempt);
  if (unaccepted)
    return { ok: false, message: unaccepted, problem: `ran, but it is not acceptable:\n${unaccepted}` };
  return {
    ok: true,
    attempt: run.attempt,
    note: api.fixes.length ? `ran (fixed: ${api.fixes.join("; ")})` : "ran",
  };
}

/**
 * Finishes one program request whose first reply is already in: re-asks while it does not parse,
 * then checks, executes and repairs. Sequential, so the order of model calls is the same on every run.
 */
export async function finishProgram(
  ctx: AgentContext,
  request: VlmRequest,
  first: VlmResponse,
  outDir: string,
  accept?: AcceptCheck,
): Promise<ProgramResult> {
  const steps: CandidateStep[] = [];
  const parsed = parseProgramReply(first.text);
  let source: string;
  if (parsed.ok) source = parsed.value;
  else {
    const again = await askParsed(
      ctx.generator,
      { ...request, parts: [...request.parts, textPart(reaskText(first.text, parsed.error.reask))] },
      parseProgramReply,
      Math.max(0, ctx.reaskLimit - 1),
    );
    source = again.value;
  }
  for (let attempt = 0; ; attempt++) {
    const call = attempt === 0 ? "stage" : "repair";
    const outcome = await tryProgram(ctx, source, `${outDir}/attempt-${attempt}`, accept);
    if (outcome.ok) {
      steps.push({ call, outcome: "ok", message: outcome.note });
      return { attempt: outcome.attempt, steps };
    }
    steps.push({ call, outcome: "error", message: outcome.message });
    if (attempt >= ctx.repairLimit) return { attempt: null, steps };
    const repaired = await askParsed(
      ctx.generator,
      {
        ...request,
        purpose: `${request.purpose}-repair`,
        parts: [
          ...request.parts,
          textPart(
            `Your program ${outcome.problem}\n\nYour program:\n\`\`\`python\n${programBody(source)}\`\`\`\n\nFix it and send the complete program again in one \`\`\`python block.`,
          ),
        ],
      },
      parseProgramReply,
      ctx.reaskLimit,
    );
    source = repaired.value;
  }
}
