/**
 * One stage candidate from the generator: its section spliced into the current program (so text
 * outside the section cannot change), PARAMS edits checked against ownership, executed, and its
 * fingerprint checked for changes to other factors. A failure at any step goes back to the
 * generator as a repair request, up to the repair limit; repairs do not use up rounds.
 */
import path from "node:path";
import { assembleProgram, programBody, withCanonicalFooter } from "../program/assemble.ts";
import { checkParamEdit, describeParamViolations } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import { replaceSection } from "../program/sections.ts";
import { validateProgram } from "../program/validate.ts";
import type { Stage } from "../stages/index.ts";
import type { Part } from "../vlm/message.ts";
import type { AgentContext } from "./context.ts";
import { type Attempt, describeFailure, executeProgram } from "./execute.ts";
import { askParsed } from "./model-call.ts";
import { preflight } from "./preflight.ts";
import { GENERATOR_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";
import { scopeProblems } from "./scope-check.ts";
import { describeScope } from "./scope-message.ts";
import { parseSectionReply, type SectionReply } from "./section-reply.ts";
import { type GeneratorInput, generatorParts } from "./stage-messages.ts";

export { parseSectionReply, type SectionReply };

/** The whole program with the candidate's section and PARAMS, or why it is not acceptable. */
export function spliceCandidate(
  baseSource: string,
  stage: Stage,
  reply: SectionReply,
): { ok: true; source: string } | { ok: false; problem: string } {
  const base = parseProgram(baseSource);
  const program = {
    ...replaceSection(base, stage, reply.section),
    params: { ...base.params, ...reply.params },
  };
  const source = withCanonicalFooter(assembleProgram(program));
  const validation = validateProgram(source);
  if (!validation.ok) return { ok: false, problem: validation.problems.map((p) => p.message).join("; ") };
  const violations = checkParamEdit(base, validation.program, stage);
  if (violations.length) return { ok: false, problem: describeParamViolations(stage, violations) };
  return { ok: true, source };
}

export interface CandidateStep {
  call: "stage" | "repair";
  outcome: "ok" | "invalid" | "error" | "out-of-scope" | "unchanged";
  message: string;
}

export interface CandidateResult {
  candidate: Attempt | null;
  steps: CandidateStep[];
  /** The last section the generator sent (for the report's diff). */
  section: string | null;
}

/**
 * How the generator is asked for one section: the reconstruction stages and `seig edit` differ in
 * their prompts only, the splice, scope check and repair loop are the same.
 */
export interface SectionRequest {
  stage: Stage;
  /** The program the candidate's section is spliced into; its fingerprint is the scope reference. */
  base: Attempt;
  /** The trace purpose of a call. */
  purpose(call: CandidateStep["call"]): string;
  /** The prompt; `preface` says why the previous candidate was rejected ("" on the first call). */
  parts(call: CandidateStep["call"], preface: string): Part[];
}

/** A candidate of a reconstruction stage round. */
export function proposeCandidate(
  ctx: AgentContext,
  input: GeneratorInput,
  outDir: string,
): Promise<CandidateResult> {
  const { stage } = input;
  return proposeSection(
    ctx,
    {
      stage,
      base: input.base,
      purpose: (call) => `${call}:${stage}`,
      parts: (call, preface) => generatorParts(promptTag({ kind: call, stage }), input, preface),
    },
    outDir,
  );
}

/** The generator's section spliced in, or why it was not usable (the step to record). */
type Checked =
  | { ok: true; source: string; notes: string[] }
  | { ok: false; step: Omit<CandidateStep, "call">; problem: string };

/** Splice, skip an unchanged section, and check the Blender API use before anything runs. */
async function checkReply(
  ctx: AgentContext,
  base: Attempt,
  stage: Stage,
  reply: SectionReply,
): Promise<Checked> {
  const spliced = spliceCandidate(base.source, stage, reply);
  if (!spliced.ok)
    return { ok: false, step: { outcome: "invalid", message: spliced.problem }, problem: spliced.problem };
  if (programBody(spliced.source) === programBody(base.source)) {
    const why = "the section came back unchanged";
    return { ok: false, step: { outcome: "unchanged", message: why }, problem: why };
  }
  const api = await preflight(ctx, spliced.source);
  if (!api.ok) return { ok: false, step: { outcome: "error", message: api.summary }, problem: api.problem };
  return { ok: true, source: api.source, notes: api.fixes };
}

export async function proposeSection(
  ctx: AgentContext,
  request: SectionRequest,
  outDir: string,
): Promise<CandidateResult> {
  const { stage, base } = request;
  const baseProgram = parseProgram(base.source);
  const steps: CandidateStep[] = [];
  let failure: { section: string; problem: string } | null = null;
  let section: string | null = null;
  for (let attempt = 0; attempt <= ctx.repairLimit; attempt++) {
    const call: CandidateStep["call"] = failure ? "repair" : "stage";
    const preface: string = failure
      ? `Your last ${stage} candidate was rejected:\n${failure.problem}\n\nThe section you sent:\n\`\`\`python\n${failure.section}\`\`\`\n\nFix the problem and send the complete section again.`
      : "";
    const { value }: { value: SectionReply } = await askParsed(
      ctx.generator,
      {
        purpose: request.purpose(call),
        system: GENERATOR_SYSTEM,
        parts: request.parts(call, preface),
        maxOutputTokens: ctx.maxTokens.stage,
        temperature: 0,
      },
      (text) => parseSectionReply(text, stage, baseProgram),
      ctx.reaskLimit,
    );
    section = value.section;
    const checked = await checkReply(ctx, base, stage, value);
    if (!checked.ok) {
      steps.push({ call, ...checked.step });
      // Nothing to repair in an unchanged section: the round ends without a render or a judge.
      if (checked.step.outcome === "unchanged") return { candidate: null, steps, section };
      failure = { section: value.section, problem: checked.problem };
      continue;
    }
    const run = await executeProgram(ctx, checked.source, path.join(outDir, `attempt-${attempt}`));
    if (!run.ok) {
      const problem = describeFailure(run.failure, checked.source);
      steps.push({ call, outcome: "error", message: run.failure.message });
      failure = { section: value.section, problem };
      continue;
    }
    const problems = scopeProblems({
      stage,
      base,
      candidate: run.attempt,
      program: parseProgram(checked.source),
    });
    if (problems.length) {
      const problem = describeScope(stage, problems);
      steps.push({ call, outcome: "out-of-scope", message: problem.split("\n").slice(1).join(" ") });
      failure = { section: value.section, problem };
      continue;
    }
    const fixed = checked.notes.length ? ` (fixed: ${checked.notes.join("; ")})` : "";
    steps.push({ call, outcome: "ok", message: `ran and stayed in scope${fixed}` });
    return { candidate: run.attempt, steps, section };
  }
  return { candidate: null, steps, section };
}
