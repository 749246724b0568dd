/**
 * One stage of the offline method: block-wise CMA-ES over the PARAMS the stage owns, one
 * thing (an object, the camera, the sun…) at a time, round after round with a shrinking
 * step, coarse renders first and working-resolution renders after (and further rounds at
 * the working level while the stage's budget lasts, up to twice its round budget). Before the search,
 * the stage's moves (stage.ts) run at the working level: adding, removing and
 * reshaping objects, closed-form colours, finishes, ground contact. Only improvements are
 * kept, and everything after the structural moves is checked to have changed nothing the
 * stage does not own.
 *
 * The stage is resumable: after every move and every searched group it reports a cursor
 * (where it is and what it holds) to `ctx.checkpoint`, and given that cursor back as
 * `ctx.resume` it continues exactly as if it had never stopped — every random draw is
 * seeded by round and group, never by how far a previous process got.
 */

import { SeigError } from "../errors.ts";
import { assembleProgram, programBody, withCanonicalFooter } from "../program/assemble.ts";
import { withOriginOf } from "../program/emit.ts";
import { checkParamEdit, describeParamViolations, keysOwnedBy } from "../program/ownership.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import type { ProgressSink } from "../run/progress.ts";
import { STRUCTURAL_MOVES, type StageDefinition } from "../stages/stage.ts";
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

/** Where a stage is: the moves still to run, or the search's next round and group. */
export type StageStep =
  | { phase: "moves"; move: number }
  /** `roundSource`: the program the round started from (its search box), null before the round starts. */
  | { phase: "search"; round: number; group: number; roundSource: string | null };

export interface StageCursor {
  inc: Incumbent;
  /** The program after the structural moves: ownership is checked against it. */
  afterStructural: string;
  next: StageStep;
  /** Progress events' iteration counter. */
  iteration: number;
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
  /** Told where the stage is after every move and group, so a run can save it. */
  checkpoint?: (cursor: StageCursor) => Promise<void>;
  /** Continue from this cursor (an interrupted run's last checkpoint) instead of the start. */
  resume?: StageCursor;
  /** Told whenever the incumbent changes, so the best program so far is always on disk. */
  onImprove?: (inc: Incumbent) => Promise<void>;
}

const GENERATIONS_PER_GROUP = 2;
const INITIAL_SIGMA = 0.25;
const SIGMA_DECAY = 0.6;
/** At most this many times the stage's round budget is searched when its budget lasts. */
const EXTRA_ROUNDS_FACTOR = 2;
/**
 * Renders a move must have room for to start (the colour move needs two). A constant, not
 * the pool's size: how many workers render must never change what a run decides.
 */
const MOVE_MIN_RENDERS = 2;

type SearchStep = Extract<StageStep, { phase: "search" }>;

const SEARCH_START: SearchStep = { phase: "search", round: 0, group: 0, roundSource: null };

function withParams(source: string, overrides: Params): string {
  const program = parseProgram(source);
  return withCanonicalFooter(assembleProgram({ ...program, params: { ...program.params, ...overrides } }));
}

async function rescore(ctx: StageContext, inc: Incumbent, level: RenderLevel): Promise<Incumbent> {
  const [scored] = await ctx.evaluator.score([{ body: programBody(inc.source), params: {} }], level);
  ctx.budget.spend(1);
  return { source: inc.source, loss: scored!.loss, image: scored!.image, level };
}

async function improved(ctx: StageContext, before: Incumbent, after: Incumbent): Promise<void> {
  if (after.source !== before.source) await ctx.onImprove?.(after);
}

/** The stage's moves at the working level, in order: structural ones first (they may touch every section). */
async function runMoves(ctx: StageContext, stage: StageDefinition, from: StageCursor): Promise<StageCursor> {
  const working = ctx.levels.at(-1)!;
  let cursor = from;
  const moves = stage.offline.moves;
  for (let m = from.next.phase === "moves" ? from.next.move : moves.length; m < moves.length; m++) {
    if (!ctx.budget.fits(MOVE_MIN_RENDERS)) break;
    const name = moves[m]!;
    let inc = cursor.inc;
    if (inc.level !== working) inc = await rescore(ctx, inc, working);
    const result = await MOVES[name](ctx, inc);
    const moved = { ...result, source: withOriginOf(inc.source, result.source) };
    await improved(ctx, inc, moved);
    const afterStructural = STRUCTURAL_MOVES.includes(name) ? moved.source : cursor.afterStructural;
    ctx.progress({ type: "note", text: `${stage.stage}: ${name} move → loss ${moved.loss.toFixed(5)}` });
    cursor = { ...cursor, inc: moved, afterStructural, next: { phase: "moves", move: m + 1 } };
    await ctx.checkpoint?.(cursor);
  }
  return { ...cursor, next: SEARCH_START };
}

function levelOf(ctx: StageContext, stage: StageDefinition, round: number): RenderLevel {
  const n = ctx.levels.length;
  return ctx.levels[Math.min(n - 1, Math.floor((round * n) / stage.roundBudget))]!;
}

/** The search from `from.next` on: rounds of groups, two CMA-ES generations per group. */
async function runSearch(ctx: StageContext, stage: StageDefinition, from: StageCursor): Promise<StageCursor> {
  const step = from.next.phase === "search" ? from.next : SEARCH_START;
  let { inc, iteration } = from;
  let { round, group, roundSource } = step;
  // The stage's rounds, then more at the working level with a still smaller step while its
  // budget lasts: a scene with few objects finishes its rounds early. A round under way
  // (resumed mid-round) goes on: the budget was checked when it started.
  const maxRounds = EXTRA_ROUNDS_FACTOR * stage.roundBudget;
  for (; round < maxRounds && (roundSource !== null || ctx.budget.fits(1)); round++) {
    const level = levelOf(ctx, stage, round);
    if (roundSource === null) {
      if (level !== inc.level) inc = await rescore(ctx, inc, level);
      roundSource = inc.source;
    }
    const program = parseProgram(roundSource);
    const groups = searchSpace(program.params, keysOwnedBy(program, stage.stage), stage);
    for (; group < groups.length; group++) {
      const dims = groups[group]!.dims;
      const cma = new CmaEs({
        x0: dims.map((d) => d.start),
        lower: dims.map((d) => d.lower),
        upper: dims.map((d) => d.upper),
        sigma0: INITIAL_SIGMA * SIGMA_DECAY ** round,
        seed: ctx.seed + round * 1009 + group * 31,
      });
      for (let gen = 0; gen < GENERATIONS_PER_GROUP && ctx.budget.fits(cma.lambda); gen++) {
        const current = parseProgram(inc.source).params;
        const xs = cma.ask();
        const overrides = xs.map((x) => paramsFromVector(current, dims, x));
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
          const before = inc;
          inc = {
            source: withParams(inc.source, overrides[k]!),
            loss: scored[k]!.loss,
            image: scored[k]!.image,
            level,
          };
          await improved(ctx, before, inc);
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
      await ctx.checkpoint?.({
        ...from,
        inc,
        iteration,
        next: { phase: "search", round, group: group + 1, roundSource },
      });
    }
    group = 0;
    roundSource = null;
  }
  return { ...from, inc, iteration, next: { phase: "search", round, group: 0, roundSource: null } };
}

export async function tuneStage(
  ctx: StageContext,
  stage: StageDefinition,
  start: Incumbent,
): Promise<Incumbent> {
  let cursor: StageCursor = ctx.resume ?? {
    inc: start,
    afterStructural: start.source,
    next: ctx.moves ? { phase: "moves", move: 0 } : SEARCH_START,
    iteration: 0,
  };
  if (cursor.next.phase === "moves") cursor = await runMoves(ctx, stage, cursor);
  cursor = await runSearch(ctx, stage, cursor);
  const violations = checkParamEdit(
    parseProgram(cursor.afterStructural),
    parseProgram(cursor.inc.source),
    stage.stage,
  );
  if (violations.length > 0) throw new SeigError(describeParamViolations(stage.stage, violations));
  return noWorseThan(ctx, start, cursor.inc);
}

/**
 * The stage's result, compared with where it started at the start's level. Coarse rounds keep
 * what is better at their resolution, which at the working resolution can be worse than the
 * stage's start (a lighting stage once ended at 0.01707 from 0.01621): then the start stands.
 * A result found at another level is rendered once more at the start's (one render, even past
 * the budget: a stage's loss must be comparable with the next one's).
 */
async function noWorseThan(ctx: StageContext, start: Incumbent, result: Incumbent): Promise<Incumbent> {
  if (result.source === start.source) return start;
  const comparable = result.level === start.level ? result : await rescore(ctx, result, start.level);
  if (comparable.loss <= start.loss) return comparable;
  await ctx.onImprove?.(start); // the program on disk goes back to the start too
  return start;
}
