/**
 * `--tune`: after a stage, the offline numeric search refines the numbers of the PARAMS the stage
 * owns (the VLM decides structure, the search the numbers). Only improvements are kept.
 */
import path from "node:path";
import { BudgetMeter } from "../offline/budget.ts";
import { RenderEvaluator } from "../offline/evaluator.ts";
import { tuneStage } from "../offline/tune-stage.ts";
import type { Stage } from "../stages/index.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import type { AgentContext } from "./context.ts";
import { type Attempt, type ExecuteContext, type Execution, executeProgram } from "./execute.ts";

/** What tuning needs of the run: running programs, plus the run folder and the progress sink. */
export type TuneContext = ExecuteContext & Pick<AgentContext, "runDir" | "progress">;

/**
 * The stage's result after tuning: the re-run tuned program only if it ran and is no worse than
 * the untuned attempt. The search scored it with PARAMS passed as overrides, the re-run bakes them
 * into the program, so the re-run's loss is the one that counts.
 */
export function keepNoWorse(untuned: Attempt, rerun: Execution): Attempt {
  return rerun.ok && rerun.attempt.loss <= untuned.loss ? rerun.attempt : untuned;
}

export async function tuneAttempt(
  ctx: TuneContext,
  stage: Stage,
  attempt: Attempt,
  renders: number,
): Promise<{ attempt: Attempt; renders: number }> {
  const level = { name: "working", target: ctx.working, samples: ctx.render.samples };
  const evaluator = new RenderEvaluator(ctx.pool, path.join(ctx.runDir, "tune", stage), ctx.render.seed);
  const tuned = await tuneStage(
    {
      evaluator,
      budget: BudgetMeter.share({ kind: "renders", renders }, 1),
      levels: [level],
      seed: ctx.render.seed,
      progress: ctx.progress,
    },
    STAGE_DEFINITIONS[stage],
    { source: attempt.source, loss: attempt.loss, image: attempt.render, level },
  );
  ctx.renders.count += evaluator.renders;
  if (tuned.source === attempt.source) return { attempt, renders: evaluator.renders };
  // Re-run to get the tuned program's fingerprint and stats; the search kept it only if better.
  const run = await executeProgram(ctx, tuned.source, path.join(ctx.runDir, "tune", stage, "result"));
  return { attempt: keepNoWorse(attempt, run), renders: evaluator.renders };
}
