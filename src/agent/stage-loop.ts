/**
 * One stage's generator–verifier rounds. The generator always edits the best program so far, so
 * a regression is reverted simply by not adopting it: a candidate replaces the best only when the
 * pairwise judge (seeded order, metrics on a tie) prefers it. The verifier then checks the new best
 * and its checklist goes into the next round. The stage ends on approval or when its rounds are spent.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { parseProgram } from "../program/parse.ts";
import type { Stage } from "../stages/index.ts";
import { proposeCandidate } from "./candidate.ts";
import type { ChecklistItem } from "./checklist.ts";
import type { CoinState } from "./coin.ts";
import { writeComparisonImage } from "./comparison-image.ts";
import type { StagedContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { comparePair } from "./select.ts";
import type { RoundRecord, StageProgress } from "./state.ts";
import { verify } from "./verifier.ts";
import { renderExtraViews } from "./views.ts";

export interface StageCursor {
  best: Attempt;
  progress: StageProgress;
  coin: CoinState;
}

export interface StageHooks {
  /** Called after the first verification and after every round, with everything to persist. */
  onStep(cursor: StageCursor, record: RoundRecord | null): Promise<void>;
}

export function newStageProgress(): StageProgress {
  return { round: 0, verified: false, approved: false, checklist: [], isolate: [], feedback: null };
}

async function comparison(ctx: StagedContext, attempt: Attempt, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "comparison.png");
  await writeComparisonImage(ctx.targetPng, attempt.render, file);
  return file;
}

async function verifyAttempt(
  ctx: StagedContext,
  stage: Stage,
  attempt: Attempt,
  isolate: readonly string[],
  dir: string,
): Promise<{ approved: boolean; checklist: ChecklistItem[]; isolate: string[] }> {
  const comparisonPng = await comparison(ctx, attempt, dir);
  const extraViews = await renderExtraViews(ctx, attempt, isolate, path.join(dir, "views"));
  return verify(ctx, {
    stage,
    attempt,
    comparisonPng,
    extraViews,
    sceneGraphJson: JSON.stringify(ctx.sceneGraph),
  });
}

function sectionDiff(stage: Stage, before: string, after: string | null): string {
  if (after === null) return "";
  const old = parseProgram(before).sections[stage];
  return old === after
    ? ""
    : createTwoFilesPatch(`${stage} (before)`, `${stage} (candidate)`, old, after, undefined, undefined, {
        context: 2,
      });
}

/** What a round produced: the cursor to continue from and the record to persist. */
interface RoundOutcome {
  cursor: StageCursor;
  record: RoundRecord;
}

function rejectedRound(
  stage: Stage,
  round: number,
  cursor: StageCursor,
  steps: RoundRecord["steps"],
  diff: string,
): RoundOutcome {
  const why = steps.at(-1)?.message ?? "no usable candidate";
  const { progress } = cursor;
  const record: RoundRecord = {
    stage,
    round,
    outcome: "rejected",
    reason: why,
    steps,
    render: null,
    psnr: null,
    diff,
    checklist: progress.checklist,
    approved: false,
  };
  const feedback = `no candidate was usable after ${steps.length} tries (last problem: ${why}); the scene was left as it was.`;
  return { cursor: { ...cursor, progress: { ...progress, round, feedback } }, record };
}

/** The pairwise judge decides: a better candidate becomes the best and is verified, a worse one is reverted. */
async function judgedRound(
  ctx: StagedContext,
  stage: Stage,
  round: number,
  cursor: StageCursor,
  candidate: Attempt,
  steps: RoundRecord["steps"],
  diff: string,
  dir: string,
): Promise<RoundOutcome> {
  const { best, progress } = cursor;
  const pair = await comparePair(ctx, stage, best, candidate, cursor.coin);
  const record = (
    outcome: RoundRecord["outcome"],
    reason: string,
    checklist: ChecklistItem[],
    approved: boolean,
  ) =>
    ({
      stage,
      round,
      outcome,
      reason,
      steps,
      render: candidate.render,
      psnr: candidate.psnr,
      diff,
      checklist,
      approved,
    }) satisfies RoundRecord;
  if (!pair.challengerWins) {
    const why = `judged worse than the current scene (${pair.decidedBy}): ${pair.reason}`;
    const feedback = `it was ${why}; it was reverted. Try a different fix.`;
    return {
      cursor: { best, coin: pair.coin, progress: { ...progress, round, feedback } },
      record: record("reverted", why, progress.checklist, false),
    };
  }
  const verdict = await verifyAttempt(ctx, stage, candidate, progress.isolate, path.join(dir, "verify"));
  const next: StageProgress = {
    round,
    verified: true,
    approved: verdict.approved,
    checklist: verdict.checklist,
    isolate: verdict.isolate,
    feedback: null,
  };
  const reason = `judged better (${pair.decidedBy}): ${pair.reason}`;
  return {
    cursor: { best: candidate, coin: pair.coin, progress: next },
    record: record("accepted", reason, verdict.checklist, verdict.approved),
  };
}

/** One generator round on the best program so far, judged against it. */
async function playRound(
  ctx: StagedContext,
  stage: Stage,
  cursor: StageCursor,
  stageDir: string,
): Promise<RoundOutcome> {
  const { best, progress } = cursor;
  const round = progress.round + 1;
  const dir = path.join(stageDir, `round-${round}`);
  const result = await proposeCandidate(
    ctx,
    {
      stage,
      base: best,
      comparisonPng: await comparison(ctx, best, path.join(dir, "base")),
      targetPng: ctx.targetPng,
      checklist: progress.checklist,
      feedback: progress.feedback,
      sceneGraph: ctx.sceneGraph,
      blenderVersion: ctx.blenderVersion,
    },
    dir,
  );
  const diff = sectionDiff(stage, best.source, result.section);
  if (!result.candidate) return rejectedRound(stage, round, cursor, result.steps, diff);
  return judgedRound(ctx, stage, round, cursor, result.candidate, result.steps, diff, dir);
}

function reportRound(
  ctx: StagedContext,
  stage: Stage,
  budget: number,
  best: Attempt,
  record: RoundRecord,
): void {
  ctx.progress({
    type: "iteration",
    stage,
    iteration: record.round,
    bestLoss: best.loss,
    renders: ctx.renders.count,
    elapsedSeconds: 0,
    etaSeconds: null,
    fraction: record.round / Math.max(1, budget),
  });
  ctx.progress({
    type: "note",
    text: `${stage} round ${record.round}: ${record.outcome} — ${record.reason}`,
  });
  // Rounds are slow (model calls), so every accepted one is shown; no throttling needed.
  if (record.outcome === "accepted" && record.render)
    ctx.progress({ type: "best", stage, loss: best.loss, image: record.render });
}

export async function runStageRounds(
  ctx: StagedContext,
  stage: Stage,
  budget: number,
  start: StageCursor,
  hooks: StageHooks,
): Promise<StageCursor> {
  const stageDir = path.join(ctx.runDir, "rounds", stage);
  let cursor = start;
  if (!cursor.progress.verified) {
    const verdict = await verifyAttempt(ctx, stage, cursor.best, [], path.join(stageDir, "round-0"));
    const { approved, checklist, isolate } = verdict;
    cursor = { ...cursor, progress: { ...cursor.progress, verified: true, approved, checklist, isolate } };
    await hooks.onStep(cursor, null);
  }
  while (!cursor.progress.approved && cursor.progress.round < budget) {
    const { cursor: next, record } = await playRound(ctx, stage, cursor, stageDir);
    cursor = next;
    reportRound(ctx, stage, budget, cursor.best, record);
    await hooks.onStep(cursor, record);
  }
  return cursor;
}
