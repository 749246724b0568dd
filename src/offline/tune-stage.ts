/**
 * One stage of the offline method: block-wise CMA-ES over the PARAMS the stage owns, one
 * thing (an object, the camera, the sun…) at a time, round after round with a shrinking
 * step, coarse renders first and working-resolution renders after. Structural moves
 * (geometry only) try another primitive for each object and removing it. Only
 * improvements are kept, and a stage's result is checked to have changed nothing it does
 * not own.
 */

import type { ProgressSink } from "../agent/progress.ts";
import { SeigError } from "../errors.ts";
import { assembleProgram, programBody, withCanonicalFooter } from "../program/assemble.ts";
import { emitProgram, specFromProgram } from "../program/emit.ts";
import { checkParamEdit, describeParamViolations, keysOwnedBy } from "../program/ownership.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import type { StageDefinition } from "../stages/stage-definition.ts";
import { alternativePrimitives } from "./analysis/primitive.ts";
import type { BudgetMeter } from "./budget.ts";
import { CmaEs } from "./cmaes.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { paramsFromVector, searchSpace } from "./search-space.ts";

export interface Incumbent {
  source: string;
  loss: number;
  image: string | null;
  level: RenderLevel;
}

export interface StageContext {
  evaluator: RenderEvaluator;
  budget: BudgetMeter;
  /** Coarse first, working resolution last. */
  levels: readonly RenderLevel[];
  seed: number;
  progress: ProgressSink;
}

const GENERATIONS_PER_GROUP = 2;
const INITIAL_SIGMA = 0.25;
const SIGMA_DECAY = 0.6;

function withParams(source: string, overrides: Params): string {
  const program = parseProgram(source);
  return withCanonicalFooter(assembleProgram({ ...program, params: { ...program.params, ...overrides } }));
}

async function rescore(ctx: StageContext, inc: Incumbent, level: RenderLevel): Promise<Incumbent> {
  const [scored] = await ctx.evaluator.score([{ body: programBody(inc.source), params: {} }], level);
  ctx.budget.spend(1);
  return { source: inc.source, loss: scored!.loss, image: scored!.image, level };
}

/** Whole-program alternatives (another shape, one object fewer), scored and kept when better. */
async function structuralMoves(ctx: StageContext, inc: Incumbent): Promise<Incumbent> {
  const spec = specFromProgram(inc.source);
  if (!spec) return inc;
  const variants = spec.objects.flatMap((obj, i) => [
    ...alternativePrimitives(obj.shape).map((shape) => ({
      ...spec,
      objects: spec.objects.map((o, j) => (j === i ? { ...o, shape } : o)),
    })),
    { ...spec, objects: spec.objects.filter((_, j) => j !== i) },
  ]);
  let best = inc;
  for (
    let start = 0;
    start < variants.length && ctx.budget.fits(ctx.evaluator.concurrency);
    start += ctx.evaluator.concurrency
  ) {
    const sources = variants.slice(start, start + ctx.evaluator.concurrency).map((v) => emitProgram(v));
    const scored = await ctx.evaluator.score(
      sources.map((s) => ({ body: programBody(s), params: {} })),
      best.level,
    );
    ctx.budget.spend(sources.length);
    scored.forEach((s, k) => {
      if (s.loss < best.loss) best = { source: sources[k]!, loss: s.loss, image: s.image, level: best.level };
    });
  }
  return best;
}

export async function tuneStage(
  ctx: StageContext,
  stage: StageDefinition,
  start: Incumbent,
): Promise<Incumbent> {
  const before = parseProgram(start.source);
  let inc = start.level === ctx.levels[0] ? start : await rescore(ctx, start, ctx.levels[0]!);
  if (stage.offline.structuralMoves) inc = await structuralMoves(ctx, inc);
  let iteration = 0;
  for (let round = 0; round < stage.roundBudget && ctx.budget.fits(1); round++) {
    const level =
      ctx.levels[
        Math.min(ctx.levels.length - 1, Math.floor((round * ctx.levels.length) / stage.roundBudget))
      ]!;
    if (level !== inc.level) inc = await rescore(ctx, inc, level);
    const program = parseProgram(inc.source);
    const groups = searchSpace(program.params, keysOwnedBy(program, stage.stage), stage);
    for (const [g, group] of groups.entries()) {
      const cma = new CmaEs({
        x0: group.dims.map((d) => d.start),
        lower: group.dims.map((d) => d.lower),
        upper: group.dims.map((d) => d.upper),
        sigma0: INITIAL_SIGMA * SIGMA_DECAY ** round,
        seed: ctx.seed + round * 1009 + g * 31,
      });
      for (let gen = 0; gen < GENERATIONS_PER_GROUP && ctx.budget.fits(cma.lambda); gen++) {
        const current = parseProgram(inc.source).params;
        const xs = cma.ask();
        const overrides = xs.map((x) => paramsFromVector(current, group.dims, x));
        const scored = await ctx.evaluator.score(
          overrides.map((params) => ({ body: programBody(inc.source), params })),
          level,
        );
        ctx.budget.spend(xs.length);
        cma.tell(
          xs,
          scored.map((s) => s.loss),
        );
        const k = scored.reduce((bi, s, i) => (s.loss < scored[bi]!.loss ? i : bi), 0);
        if (scored[k]!.loss < inc.loss) {
          inc = {
            source: withParams(inc.source, overrides[k]!),
            loss: scored[k]!.loss,
            image: scored[k]!.image,
            level,
          };
        }
        ctx.progress({
          type: "iteration",
          stage: stage.stage,
          iteration: ++iteration,
          bestLoss: inc.loss,
          renders: ctx.evaluator.renders,
          elapsedSeconds: ctx.budget.elapsedSeconds,
          etaSeconds: ctx.budget.etaSeconds(),
          fraction: ctx.budget.fraction,
        });
      }
    }
  }
  const violations = stage.offline.structuralMoves
    ? []
    : checkParamEdit(before, parseProgram(inc.source), stage.stage);
  if (violations.length > 0) throw new SeigError(describeParamViolations(stage.stage, violations));
  return inc;
}
