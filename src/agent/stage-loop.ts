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

export async function runStageRounds(
  ctx: StagedContext,
  stage: Stage,
  budget: number,
  start: StageCursor,
  hooks: StageHooks,
): Promise<StageCursor> {
  const stageDir = path.join(ctx.runDir, "rounds", stage);
  let { best, progress, coin } = start;
  if (!progress.verified) {
    const verdict = await verifyAttempt(ctx, stage, best, [], path.join(stageDir, "round-0"));
    progress = {
      ...progress,
      verified: true,
      approved: verdict.approved,
      checklist: verdict.checklist,
      isolate: verdict.isolate,
    };
    await hooks.onStep({ best, progress, coin }, null);
  }
  while (!progress.approved && progress.round < budget) {
    const round = progress.round + 1;
    const dir = path.join(stageDir, `round-${round}`);
    const base = best;
    const result = await proposeCandidate(
      ctx,
      {
        stage,
        base,
        comparisonPng: await comparison(ctx, base, path.join(dir, "base")),
        targetPng: ctx.targetPng,
        checklist: progress.checklist,
        feedback: progress.feedback,
        sceneGraph: ctx.sceneGraph,
        blenderVersion: ctx.blenderVersion,
      },
      dir,
    );
    const diff = sectionDiff(stage, base.source, result.section);
    let record: RoundRecord;
    if (!result.candidate) {
      const why = result.steps.at(-1)?.message ?? "no usable candidate";
      record = {
        stage,
        round,
        outcome: "rejected",
        reason: why,
        steps: result.steps,
        render: null,
        psnr: null,
        diff,
        checklist: progress.checklist,
        approved: false,
      };
      progress = {
        ...progress,
        round,
        feedback: `no candidate was usable after ${result.steps.length} tries (last problem: ${why}); the scene was left as it was.`,
      };
    } else {
      const pair = await comparePair(ctx, stage, base, result.candidate, coin);
      coin = pair.coin;
      if (pair.challengerWins) {
        best = result.candidate;
        const verdict = await verifyAttempt(ctx, stage, best, progress.isolate, path.join(dir, "verify"));
        progress = {
          round,
          verified: true,
          approved: verdict.approved,
          checklist: verdict.checklist,
          isolate: verdict.isolate,
          feedback: null,
        };
        record = {
          stage,
          round,
          outcome: "accepted",
          reason: `judged better (${pair.decidedBy}): ${pair.reason}`,
          steps: result.steps,
          render: best.render,
          psnr: best.psnr,
          diff,
          checklist: verdict.checklist,
          approved: verdict.approved,
        };
      } else {
        const why = `judged worse than the current scene (${pair.decidedBy}): ${pair.reason}`;
        record = {
          stage,
          round,
          outcome: "reverted",
          reason: why,
          steps: result.steps,
          render: result.candidate.render,
          psnr: result.candidate.psnr,
          diff,
          checklist: progress.checklist,
          approved: false,
        };
        progress = { ...progress, round, feedback: `it was ${why}; it was reverted. Try a different fix.` };
      }
    }
    ctx.progress({
      type: "iteration",
      stage,
      iteration: round,
      bestLoss: best.loss,
      renders: ctx.renders.count,
      elapsedSeconds: 0,
      etaSeconds: null,
      fraction: round / Math.max(1, budget),
    });
    ctx.progress({ type: "note", text: `${stage} round ${round}: ${record.outcome} — ${record.reason}` });
    await hooks.onStep({ best, progress, coin }, record);
  }
  return { best, progress, coin };
}
