/**
 * One stage candidate from the generator: its section spliced into the current program (so text
 * outside the section cannot change), PARAMS edits checked against ownership, executed, and its
 * fingerprint checked for changes to other factors. A failure at any step goes back to the
 * generator as a repair request, up to the repair limit; repairs do not use up rounds.
 */
import path from "node:path";
import { z } from "zod";
import { changesOutside, describeChanges } from "../blender/fingerprint-diff.ts";
import { assembleProgram, withCanonicalFooter } from "../program/assemble.ts";
import { checkParamEdit, describeParamViolations } from "../program/ownership.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import {
  END_MARKER,
  replaceSection,
  SECTION_FUNCTIONS,
  type Stage,
  sectionMarker,
} from "../program/sections.ts";
import { validateProgram } from "../program/validate.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import { GENERATOR_SYSTEM } from "../stages/prompts/system.ts";
import { promptTag } from "../stages/prompts/tag.ts";
import type { Part } from "../vlm/message.ts";
import { extractCode, extractJson, ModelOutputError, type Parsed } from "../vlm/parse.ts";
import type { AgentContext } from "./context.ts";
import { type Attempt, describeFailure, executeProgram } from "./execute.ts";
import { askParsed } from "./model-call.ts";
import { type GeneratorInput, generatorParts } from "./stage-messages.ts";

export interface SectionReply {
  section: string;
  params: Params;
}

const ParamsUpdate = z.object({ params: z.record(z.string(), z.any()) });

/** The section code (and optional PARAMS update) in a generator reply. */
export function parseSectionReply(text: string, stage: Stage): Parsed<SectionReply> {
  const code = extractCode(text);
  if (!code.ok) return code;
  const fn = SECTION_FUNCTIONS[stage];
  const marker = sectionMarker(stage);
  // Models often repeat the marker line; it is ours to write, so drop it.
  const section = code.value
    .split("\n")
    .filter((l) => l.trim() !== marker)
    .join("\n");
  const bad = (reask: string): Parsed<SectionReply> => ({ ok: false, error: new ModelOutputError(reask) });
  if (/^# --- seig:/m.test(section) || /^PARAMS\s*=/m.test(section) || section.includes(END_MARKER)) {
    return bad(
      `Send only the ${stage} section (starting with \`def ${fn}(P):\`), not the whole program or other sections.`,
    );
  }
  if (!new RegExp(`^def[ \\t]+${fn}[ \\t]*\\(`, "m").test(section)) {
    return bad(
      `Your code does not define \`def ${fn}(P):\` at the start of a line. Send the complete ${stage} section.`,
    );
  }
  const update = extractJson(text, ParamsUpdate);
  return {
    ok: true,
    value: { section: `${section.trimEnd()}\n\n`, params: update.ok ? (update.value.params as Params) : {} },
  };
}

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
  outcome: "ok" | "invalid" | "error" | "out-of-scope";
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

export async function proposeSection(
  ctx: AgentContext,
  request: SectionRequest,
  outDir: string,
): Promise<CandidateResult> {
  const { stage, base } = request;
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
        maxOutputTokens: 8000,
        temperature: 0,
      },
      (text) => parseSectionReply(text, stage),
      ctx.reaskLimit,
    );
    section = value.section;
    const spliced = spliceCandidate(base.source, stage, value);
    if (!spliced.ok) {
      steps.push({ call, outcome: "invalid", message: spliced.problem });
      failure = { section: value.section, problem: spliced.problem };
      continue;
    }
    const run = await executeProgram(ctx, spliced.source, path.join(outDir, `attempt-${attempt}`));
    if (!run.ok) {
      const problem = describeFailure(run.failure, spliced.source);
      steps.push({ call, outcome: "error", message: run.failure.message });
      failure = { section: value.section, problem };
      continue;
    }
    const outside = changesOutside(
      base.fingerprint,
      run.attempt.fingerprint,
      STAGE_DEFINITIONS[stage].factor,
    );
    if (outside.length) {
      const problem = `the ${stage} stage may change only ${stage}, but this candidate ${describeChanges(outside)}. Undo those changes.`;
      steps.push({ call, outcome: "out-of-scope", message: problem });
      failure = { section: value.section, problem };
      continue;
    }
    steps.push({ call, outcome: "ok", message: "ran and stayed in scope" });
    return { candidate: run.attempt, steps, section };
  }
  return { candidate: null, steps, section };
}
