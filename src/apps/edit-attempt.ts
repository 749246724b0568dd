/**
 * One attempt of `seig edit`: the generator rewrites the chosen section (repairs and scope checks
 * inside), the built scene must differ from the original, and the verifier must agree the
 * instruction was carried out. Each way of failing says what to tell the generator next time.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { type CandidateStep, proposeSection } from "../agent/candidate.ts";
import { writeComparisonImage } from "../agent/comparison-image.ts";
import type { AgentContext } from "../agent/context.ts";
import type { Attempt } from "../agent/execute.ts";
import { describeChanges, diffFingerprints, type FactorChange } from "../blender/fingerprint-diff.ts";
import { programBody } from "../program/assemble.ts";
import type { Stage } from "../stages/index.ts";
import type { EditScene } from "./edit-prompts.ts";
import { editSectionRequest } from "./edit-section.ts";
import { verifyEdit } from "./edit-verify.ts";

/** What every attempt of one edit shares. */
export interface EditJob {
  ctx: AgentContext;
  instruction: string;
  stage: Stage;
  /** The program to edit, as given, built and rendered. */
  before: Attempt;
  scene: EditScene;
}

export type AttemptOutcome =
  | {
      kind: "failed";
      outcome: "no-candidate" | "no-change" | "not-carried-out";
      reason: string;
      /** For the generator's next attempt. */
      feedback: string;
      steps: CandidateStep[];
    }
  | {
      kind: "carried-out";
      reason: string;
      candidate: Attempt;
      comparison: string;
      changes: FactorChange[];
      steps: CandidateStep[];
    };

function programDiff(before: string, after: string): string {
  return createTwoFilesPatch(
    "program (before)",
    "program (after)",
    programBody(before),
    programBody(after),
    undefined,
    undefined,
    { context: 2 },
  );
}

export async function editAttempt(
  job: EditJob,
  feedback: string | null,
  dir: string,
): Promise<AttemptOutcome> {
  const { ctx, stage, before } = job;
  const result = await proposeSection(ctx, editSectionRequest(stage, before, job.scene, feedback), dir);
  const { candidate, steps } = result;
  if (!candidate) {
    const why = steps.at(-1)?.message ?? "no usable section";
    const reason = `no usable ${stage} section after ${steps.length} tries (${why})`;
    const next = `no section you sent was usable (last problem: ${why}).`;
    return { kind: "failed", outcome: "no-candidate", reason, feedback: next, steps };
  }
  const changes = diffFingerprints(before.fingerprint, candidate.fingerprint);
  if (changes.length === 0) {
    const next =
      "it built exactly the same scene as before: nothing changed. Make the change the instruction asks for.";
    const reason = "the edited program builds the same scene as before";
    return { kind: "failed", outcome: "no-change", reason, feedback: next, steps };
  }
  await mkdir(dir, { recursive: true });
  const comparison = path.join(dir, "comparison.png");
  await writeComparisonImage(before.render, candidate.render, comparison);
  const verdict = await verifyEdit(
    ctx,
    {
      instruction: job.instruction,
      stage,
      changes: describeChanges(changes),
      diff: programDiff(before.source, candidate.source),
    },
    { before: before.render, after: candidate.render, comparison },
  );
  if (!verdict.carriedOut) {
    const next = `a checker compared the renders and found the instruction not carried out: ${verdict.reason}`;
    return { kind: "failed", outcome: "not-carried-out", reason: verdict.reason, feedback: next, steps };
  }
  return { kind: "carried-out", reason: verdict.reason, candidate, comparison, changes, steps };
}
