/**
 * One stage of the offline method: block-wise CMA-ES over the PARAMS the stage owns, one
 * thing (an object, the camera, the sun…) at a time, round after round with a shrinking
 * step, coarse renders first and working-resolution renders after (and further rounds at
 * the working level while the stage's budget lasts, up to twice its round budget). Before the search,
 * the stage's moves (stage-definition.ts) run at the working level: adding, removing and
 * reshaping objects, closed-form colours, finishes, ground contact. Only improvements are
 * kept, and everything after the structural moves is checked to have changed nothing the
 * stage does not own.
 */

import type { ProgressSink } from "../agent/progress.ts";
import { SeigError } from "../errors.ts";
import { assembleProgram, programBody, withCanonicalFooter } from "../program/assemble.ts";
import { checkParamEdit, describeParamViolations, keysOwnedBy } from "../program/ownership.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import { STRUCTURAL_MOVES, type StageDefinition } from "../stages/stage-definition.ts";
import type { BudgetMeter } from "./budget.ts";
import { CmaEs } from "./cmaes.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { MOVES } from "./moves/index.ts";
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
  /** Run the stage's moves before the search (the offline method); off when tuning a VLM's program, whose structure is the model's. */
  moves?: boolean;
}

const GENERATIONS_PER_GROUP = 2;
const INITIAL_SIGMA = 0.25;
const SIGMA_DECAY = 0.6;
/** At most this many times the stage's round budget is searched when its budget lasts. */
const EXTRA_ROUNDS_FACTOR = 2;

function withParams(source: string, overrides: Params): string {
  const program = parseProgram(source);
  return withCanonicalFooter(assembleProgram({ ...program, params: { ...program.params, ...overrides } }));
}

async function rescore(ctx: StageContext, inc: Incumbent, level: RenderLevel): Promise<Incumbent> {
  const [scored] = await ctx.evaluator.score([{ body: programBody(inc.source), params: {} }], level);
  ctx.budget.spend(1);
  return { source: inc.source, loss: scored!.loss, image: scored!.image, level };
}

/** The stage's moves at the working level, in order: structural ones first (they may touch every section). */
async function runMoves(
  ctx: StageContext,
  stage: StageDefinition,
  start: Incumbent,
): Promise<{ inc: Incumbent; afterStructural: string }> {
  const working = ctx.levels.at(-1)!;
  let inc = start;
  let afterStructural = start.source;
  for (const name of stage.offline.moves) {
    if (!ctx.budget.fits(ctx.evaluator.concurrency)) break;
    if (inc.level !== working) inc = await rescore(ctx, inc, working);
    inc = await MOVES[name](ctx, inc);
    if (STRUCTURAL_MOVES.includes(name)) afterStructural = inc.source;
    ctx.progress({ type: "note", text: `${stage.stage}: ${name} move → loss ${inc.loss.toFixed(5)}` });
  }
  return { inc, afterStructural };
}

export async function tuneStage(
  ctx: StageContext,
  stage: StageDefinition,
  start: Incumbent,
): Promise<Incumbent> {
  const moved = ctx.moves ? await runMoves(ctx, stage, start) : { inc: start, afterStructural: start.source };
  const before = parseProgram(moved.afterStructural);
  let inc = moved.inc.level === ctx.levels[0] ? moved.inc : await rescore(ctx, moved.inc, ctx.levels[0]!);
  let iteration = 0;
  // The stage's rounds, then more at the working level with a still smaller step while its
  // budget lasts: a scene with few objects finishes its rounds early.
  const maxRounds = EXTRA_ROUNDS_FACTOR * stage.roundBudget;
  for (let round = 0; round < maxRounds && ctx.budget.fits(1); round++) {
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
  const violations = checkParamEdit(before, parseProgram(inc.source), stage.stage);
  if (violations.length > 0) throw new SeigError(describeParamViolations(stage.stage, violations));
  return inc;
}
