/**
 * The staged method with the assistant as generator and verifier. A session holds the target,
 * the best program so far and the stage under way. Each submission is the stage's section (and
 * PARAMS): spliced into the best program and checked against the running Blender's API with the
 * agent's code (src/agent/candidate.ts, preflight.ts), run in the sandboxed pool, scope-checked
 * by fingerprints with the agent's rules (src/agent/scope-check.ts: what the section itself wrote
 * and the built scene), and scored. It replaces the best only if it scores no worse, or if the
 * assistant insists. Every submission is
 * appended to submissions.jsonl, which finish_session copies into the run folder like a trace.
 */
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { parseSectionReply, spliceCandidate } from "../agent/candidate.ts";
import { describeFailure } from "../agent/execute.ts";
import { preflight } from "../agent/preflight.ts";
import { scopeProblems } from "../agent/scope-check.ts";
import { describeScope } from "../agent/scope-message.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import type { RgbImage } from "../image/types.ts";
import { programBody } from "../program/assemble.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import type { Stage } from "../stages/index.ts";
import { type Execution, renderAndScore, type Scored } from "./session-render.ts";

export type SubmissionOutcome =
  | "kept"
  | "kept-insisted"
  | "regression"
  | "out-of-scope"
  | "invalid"
  | "unchanged"
  | "error";

export interface Submission {
  index: number;
  stage: Stage;
  at: string;
  outcome: SubmissionOutcome;
  message: string;
  insist: boolean;
  section: string;
  params: Params;
  psnr: number | null;
  loss: number | null;
  /** The best's PSNR before this submission. */
  previousPsnr: number;
  render: string | null;
}

export interface StageRecord {
  stage: Stage;
  best: Scored;
  submissions: number;
  kept: number;
}

export interface SessionSetup {
  id: string;
  dir: string;
  photo: string;
  pool: BlenderPool;
  /** At the final resolution (target.png). */
  target: RgbImage;
  working: RgbImage;
  samples: number;
  seed: number;
  stages: Stage[];
  scaffold: Scored;
  startedAt: number;
}

export class StagedSession {
  best: Scored;
  stageIndex = 0;
  readonly submissions: Submission[] = [];
  readonly completed: StageRecord[] = [];
  renders = 1;

  constructor(readonly setup: SessionSetup) {
    this.best = setup.scaffold;
  }

  get id(): string {
    return this.setup.id;
  }

  /** The stage under way; null once every stage is done. */
  get stage(): Stage | null {
    return this.setup.stages[this.stageIndex] ?? null;
  }

  currentStage(): Stage {
    const stage = this.stage;
    if (!stage) throw new InputError(`session ${this.id} has done every stage; call finish_session`);
    return stage;
  }

  async submit(section: string, params: Params, insist: boolean): Promise<Submission> {
    const stage = this.currentStage();
    const base = this.best;
    const record = (outcome: SubmissionOutcome, message: string, scored: Scored | null) =>
      this.record({ stage, outcome, message, insist, section, params, scored, previousPsnr: base.psnr });
    const parsed = parseSectionReply(section, stage, parseProgram(base.source));
    if (!parsed.ok) return record("invalid", parsed.error.message, null);
    const spliced = spliceCandidate(base.source, stage, { section: parsed.value.section, params });
    if (!spliced.ok) return record("invalid", spliced.problem, null);
    if (programBody(spliced.source) === programBody(base.source))
      return record("unchanged", "the section and PARAMS are the current ones; nothing to render", null);
    const api = await preflight(this.setup, spliced.source);
    if (!api.ok) return record("error", api.problem, null);
    const run = await this.execute(api.source);
    if (!run.ok) return record("error", describeFailure(run.failure, api.source), null);
    const problems = scopeProblems({ stage, base, candidate: run.scored, program: parseProgram(api.source) });
    if (problems.length) return record("out-of-scope", describeScope(stage, problems), run.scored);
    const delta = `PSNR ${base.psnr.toFixed(2)} → ${run.scored.psnr.toFixed(2)} dB, loss ${base.loss.toFixed(5)} → ${run.scored.loss.toFixed(5)}`;
    if (run.scored.loss > base.loss && !insist)
      return record(
        "regression",
        `scores worse than the current scene (${delta}); not kept — improve it, or resubmit with insist: true`,
        run.scored,
      );
    this.best = run.scored;
    const outcome = run.scored.loss > base.loss ? "kept-insisted" : "kept";
    return record(outcome, `kept (${delta})`, run.scored);
  }

  /** Closes the stage under way with its best program; returns the next stage or null. */
  next(): Stage | null {
    const stage = this.currentStage();
    const own = this.submissions.filter((s) => s.stage === stage);
    this.completed.push({
      stage,
      best: this.best,
      submissions: own.length,
      kept: own.filter((s) => s.outcome.startsWith("kept")).length,
    });
    this.stageIndex++;
    return this.stage;
  }

  private async execute(source: string): Promise<Execution> {
    this.renders++;
    const file = path.join(this.setup.dir, "renders", `submission-${this.submissions.length + 1}.png`);
    return renderAndScore(this.setup, source, file);
  }

  private async record(input: {
    stage: Stage;
    outcome: SubmissionOutcome;
    message: string;
    insist: boolean;
    section: string;
    params: Params;
    scored: Scored | null;
    previousPsnr: number;
  }): Promise<Submission> {
    const submission: Submission = {
      index: this.submissions.length + 1,
      stage: input.stage,
      at: new Date().toISOString(),
      outcome: input.outcome,
      message: input.message,
      insist: input.insist,
      section: input.section,
      params: input.params,
      psnr: input.scored?.psnr ?? null,
      loss: input.scored?.loss ?? null,
      previousPsnr: input.previousPsnr,
      render: input.scored?.render ?? null,
    };
    this.submissions.push(submission);
    await mkdir(this.setup.dir, { recursive: true });
    await appendFile(path.join(this.setup.dir, "submissions.jsonl"), `${JSON.stringify(submission)}\n`);
    return submission;
  }
}
