/**
 * The two ways an agent run builds its program: the staged method (scene graph → K scaffolds →
 * stage rounds, optional numeric tuning) and the one-shot baseline. Every finished step is saved,
 * so a run that stops is continued from its state.json.
 */
import path from "node:path";
import { SeigError } from "../errors.ts";
import { createRunFolder, writeStageOutputs } from "../run/folder.ts";
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

export async function staged(ctx: AgentContext, current: () => AgentState, save: Save): Promise<Attempt> {
  const settings = current().settings;
  if (!current().sceneGraph) {
    ctx.progress({ type: "note", text: "scene graph" });
    await save({
      ...current(),
      sceneGraph: await askSceneGraph(
        ctx.generator,
        ctx.targetPng,
        ctx.reaskLimit,
        ctx.maxTokens["scene-graph"],
      ),
    });
  }
  const sctx: StagedContext = { ...ctx, sceneGraph: current().sceneGraph! };
  if (!current().best) {
    const choice = await writeScaffolds(sctx, settings.scaffolds);
    ctx.progress({
      type: "note",
      text: `scaffold ${choice.index + 1} of ${settings.scaffolds} kept (${choice.records[choice.index]!.objects.length} objects)`,
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
  const folder = await createRunFolder(ctx.runDir);
  while (current().stageIndex < settings.stages.length) {
    const index = current().stageIndex;
    const stage = settings.stages[index]!;
    const stageStart = Date.now();
    const rendersBefore = ctx.renders.count;
    ctx.progress({ type: "stage-start", stage, index, total: settings.stages.length });
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
    let best = cursor.best;
    let tuned = null;
    if (settings.tune) {
      const result = await tuneAttempt(ctx, stage, best, settings.tuneRenders);
      tuned = {
        psnrBefore: best.psnr,
        psnrAfter: result.attempt.psnr,
        lossBefore: best.loss,
        lossAfter: result.attempt.loss,
        renders: result.renders,
      };
      best = result.attempt;
    }
    await writeStageOutputs(folder, stage, best.source, best.render);
    const summary = {
      psnr: best.psnr,
      loss: best.loss,
      rounds: cursor.progress.round,
      approved: cursor.progress.approved,
      tuned,
      renders: ctx.renders.count - rendersBefore,
    };
    ctx.progress({
      type: "stage-end",
      stage,
      bestLoss: best.loss,
      renders: ctx.renders.count - rendersBefore,
      seconds: (Date.now() - stageStart) / 1000,
    });
    await save({
      ...current(),
      best,
      stage: null,
      stageIndex: index + 1,
      stages: { ...current().stages, [stage]: summary },
    });
  }
  return current().best!;
}
