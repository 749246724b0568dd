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
import { askParsed } from "./model-call.ts";

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

/**
 * Finishes one program request whose first reply is already in: re-asks while it does not parse,
 * then executes and repairs. Sequential, so the order of model calls is the same on every run.
 */
export async function finishProgram(
  ctx: AgentContext,
  request: VlmRequest,
  first: VlmResponse,
  outDir: string,
): Promise<ProgramResult> {
  const steps: CandidateStep[] = [];
  let parsed = parseProgramReply(first.text);
  let source: string;
  if (parsed.ok) source = parsed.value;
  else {
    const again = await askParsed(
      ctx.generator,
      {
        ...request,
        parts: [
          ...request.parts,
          textPart(
            `Your previous reply could not be used:\n\n${first.text}\n\nProblem: ${parsed.error.reask}`,
          ),
        ],
      },
      parseProgramReply,
      Math.max(0, ctx.reaskLimit - 1),
    );
    source = again.value;
  }
  for (let attempt = 0; ; attempt++) {
    const run = await executeProgram(ctx, source, `${outDir}/attempt-${attempt}`);
    if (run.ok) {
      steps.push({ call: attempt === 0 ? "stage" : "repair", outcome: "ok", message: "ran" });
      return { attempt: run.attempt, steps };
    }
    steps.push({ call: attempt === 0 ? "stage" : "repair", outcome: "error", message: run.failure.message });
    if (attempt >= ctx.repairLimit) return { attempt: null, steps };
    const problem = describeFailure(run.failure, source);
    const repaired = await askParsed(
      ctx.generator,
      {
        ...request,
        purpose: `${request.purpose}-repair`,
        parts: [
          ...request.parts,
          textPart(
            `Your program failed when run:\n${problem}\n\nYour program:\n\`\`\`python\n${programBody(source)}\`\`\`\n\nFix it and send the complete program again in one \`\`\`python block.`,
          ),
        ],
      },
      parseProgramReply,
      ctx.reaskLimit,
    );
    parsed = { ok: true, value: repaired.value };
    source = parsed.value;
  }
}
