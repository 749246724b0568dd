/**
 * The two ways an agent run builds its program: the staged method (scene graph → K scaffolds →
 * stage rounds, optional numeric tuning) and the one-shot baseline. Every finished step is saved,
 * so a run that stops is continued from its state.json.
 */
import path from "node:path";
import { SeigError } from "../errors.ts";
import { createRunFolder, type RunFolder, writeStageOutputs } from "../run/folder.ts";
import type { Stage } from "../stages/index.ts";
import type { AgentContext, StagedContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { oneShotRequest } from "./program-messages.ts";
import { promptTag } from "./prompts/tag.ts";
import { writeScaffolds } from "./scaffold.ts";
import { askSceneGraph } from "./scene-graph.ts";
import { roundsFor } from "./settings.ts";
import { newStageProgress, runStageRounds } from "./stage-loop.ts";
import type { AgentState } from "./state.ts";
import { tuneAttempt } from "./tune.ts";
import { finishProgram } from "./whole-program.ts";

export type Save = (next: AgentState) => Promise<void>;

export async function oneShot(ctx: AgentContext, state: AgentState, save: Save): Promise<Attempt> {
  if (state.best) return state.best;
  const request = oneShotRequest(
    promptTag({ kind: "one-shot" }),
    ctx.targetPng,
    ctx.blenderVersion,
    ctx.maxTokens["one-shot"],
  );
  const first = await ctx.generator.complete(request);
  const result = await finishProgram(ctx, request, first, path.join(ctx.runDir, "one-shot"));
  if (!result.attempt)
    throw new SeigError(
      `the one-shot program never ran (${result.steps.at(-1)?.message}): try a stronger --model`,
    );
  await save({ ...state, best: result.attempt, stageIndex: 0 });
  return result.attempt;
}

type Current = () => AgentState;

/** The scene graph and the chosen scaffold, unless the saved state already has them. */
async function prepare(ctx: AgentContext, current: Current, save: Save): Promise<StagedContext> {
  const settings = current().settings;
  if (!current().sceneGraph) {
    ctx.progress({ type: "note", text: "scene graph" });
    const sceneGraph = await askSceneGraph(
      ctx.generator,
      ctx.targetPng,
      ctx.reaskLimit,
      ctx.maxTokens["scene-graph"],
    );
    await save({ ...current(), sceneGraph });
  }
  const sctx: StagedContext = { ...ctx, sceneGraph: current().sceneGraph! };
  if (!current().best) {
    const choice = await writeScaffolds(sctx, settings.scaffolds);
    const objects = choice.records[choice.index]!.objects.length;
    ctx.progress({
      type: "note",
      text: `scaffold ${choice.index + 1} of ${settings.scaffolds} kept (${objects} objects)`,
    });
    await save({
      ...current(),
      best: choice.chosen,
      scaffolds: { chosen: choice.index + 1, records: choice.records },
    });
    await writeStageOutputs(
      await createRunFolder(ctx.runDir),
      "scaffold",
      choice.chosen.source,
      choice.chosen.render,
    );
  }
  return sctx;
}

/** With --tune: the numeric search over the stage's PARAMS, kept only if it is no worse. */
async function maybeTune(ctx: AgentContext, stage: Stage, best: Attempt, settings: AgentState["settings"]) {
  if (!settings.tune) return { best, tuned: null };
  const result = await tuneAttempt(ctx, stage, best, settings.tuneRenders);
  const tuned = {
    psnrBefore: best.psnr,
    psnrAfter: result.attempt.psnr,
    lossBefore: best.loss,
    lossAfter: result.attempt.loss,
    renders: result.renders,
  };
  return { best: result.attempt, tuned };
}

/** One stage: its rounds (each saved as it ends), optional tuning, outputs and summary. */
async function runStage(sctx: StagedContext, current: Current, save: Save, folder: RunFolder): Promise<void> {
  const settings = current().settings;
  const index = current().stageIndex;
  const stage = settings.stages[index]!;
  const stageStart = Date.now();
  const rendersBefore = sctx.renders.count;
  sctx.progress({ type: "stage-start", stage, index, total: settings.stages.length });
  const cursor = await runStageRounds(
    sctx,
    stage,
    roundsFor(settings, stage),
    { best: current().best!, progress: current().stage ?? newStageProgress(), coin: current().coin },
    {
      onStep: async (c, record) =>
        save({
          ...current(),
          best: c.best,
          stage: c.progress,
          coin: c.coin,
          rounds: record ? [...current().rounds, record] : current().rounds,
        }),
    },
  );
  const { best, tuned } = await maybeTune(sctx, stage, cursor.best, settings);
  await writeStageOutputs(folder, stage, best.source, best.render);
  const renders = sctx.renders.count - rendersBefore;
  const { round: rounds, approved } = cursor.progress;
  const summary = { psnr: best.psnr, loss: best.loss, rounds, approved, tuned, renders };
  const seconds = (Date.now() - stageStart) / 1000;
  sctx.progress({ type: "stage-end", stage, bestLoss: best.loss, renders, seconds });
  await save({
    ...current(),
    best,
    stage: null,
    stageIndex: index + 1,
    stages: { ...current().stages, [stage]: summary },
  });
}

export async function staged(ctx: AgentContext, current: Current, save: Save): Promise<Attempt> {
  const sctx = await prepare(ctx, current, save);
  const folder = await createRunFolder(ctx.runDir);
  while (current().stageIndex < current().settings.stages.length) await runStage(sctx, current, save, folder);
  return current().best!;
}
