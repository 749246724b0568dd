/**
 * The SEIG VLM agent end to end: scene graph → K scaffolds → stages (geometry → material →
 * composition → lighting) of generator–verifier rounds, optional numeric tuning after each stage,
 * a final render and the run folder (program.py, final.png, stages/, rounds/, metrics.json,
 * run.json, state.json, trace.jsonl, report.html). `--one-shot` runs the VLM-only baseline instead.
 * State is saved after every step, so an interrupted run resumes where it stopped.
 */

import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BlenderPool } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { resizeTo } from "../image/resize.ts";
import { saveImage } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { promptTag } from "../stages/prompts/tag.ts";
import { createVlmClient, type VlmClientOptions, type VlmEvent } from "../vlm/client.ts";
import { loadPriceTable } from "../vlm/cost.ts";
import type { Env } from "../vlm/providers.ts";
import { TraceRecorder } from "../vlm/trace.ts";
import type { AgentContext, StagedContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { renderFinal } from "./final-render.ts";
import { oneShotRequest } from "./program-messages.ts";
import { type ProgressSink, quietProgress } from "./progress.ts";
import { type ReportRow, renderReport } from "./report.ts";
import { renderRoundsSection } from "./report-rounds.ts";
import { createRunFolder, type RunFolder, writeJson, writeStageOutputs } from "./run-folder.ts";
import { writeScaffolds } from "./scaffold.ts";
import { askSceneGraph } from "./scene-graph.ts";
import { AgentSettings, type AgentSettingsInput, roundsFor } from "./settings.ts";
import { newStageProgress, runStageRounds } from "./stage-loop.ts";
import { type AgentState, loadState, saveState } from "./state.ts";
import { tuneAttempt } from "./tune.ts";
import { addResponse, emptyUsage, usageLine } from "./usage.ts";
import { finishProgram } from "./whole-program.ts";

/** Thrown when the run's AbortSignal fires; the state saved so far is what --resume continues. */
export class AgentInterrupted extends SeigError {}

export interface AgentRuntime {
  /** A pool to use instead of starting one (its writable folders must include the run folder). */
  pool?: BlenderPool;
  concurrency?: number;
  sandbox?: SandboxMode;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Env;
  /** Retry and timeout settings of the model clients. */
  client?: Pick<VlmClientOptions, "maxRetries" | "backoff" | "timeoutMs">;
  progress?: ProgressSink;
  /** Stops the run after the step under way has been saved (throws AgentInterrupted). */
  signal?: AbortSignal;
}

export interface AgentResult {
  outDir: string;
  program: string;
  metrics: MetricReport;
  state: AgentState;
}

function workingSize(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(8, Math.round(img.width * scale)),
    height: Math.max(8, Math.round(img.height * scale)),
  };
}

function freshState(settings: AgentSettings): AgentState {
  return {
    version: 1,
    settings,
    sceneGraph: null,
    scaffolds: null,
    best: null,
    stageIndex: 0,
    stage: null,
    stages: {},
    rounds: [],
    coin: { seed: settings.seed, draws: 0 },
    usage: emptyUsage(),
    renders: 0,
    seconds: 0,
  };
}

/** Starts a new run in `outDir`. */
export async function runAgent(
  settingsInput: AgentSettingsInput & { outDir: string },
  runtime: AgentRuntime = {},
): Promise<AgentResult> {
  const { outDir, ...rest } = settingsInput;
  const settings = AgentSettings.parse(rest);
  const folder = await createRunFolder(outDir);
  const target = await loadImage(settings.image, { maxSide: settings.finalSide });
  await saveImage(target, path.join(folder.dir, "target.png"));
  const state = freshState(settings);
  await saveState(folder.dir, state);
  return continueRun(folder, state, runtime);
}

/** Continues an interrupted run from its state.json. */
export async function resumeAgent(runDir: string, runtime: AgentRuntime = {}): Promise<AgentResult> {
  const folder = await createRunFolder(runDir);
  return continueRun(folder, await loadState(folder.dir), runtime);
}

async function continueRun(
  folder: RunFolder,
  initial: AgentState,
  runtime: AgentRuntime,
): Promise<AgentResult> {
  const started = Date.now();
  const settings = initial.settings;
  const progress = runtime.progress ?? quietProgress;
  let state = initial;
  const targetPng = path.join(folder.dir, "target.png");
  const target = await loadImage(targetPng, { maxSide: 0 });
  const size = workingSize(target, settings.workingSide);
  const working = await resizeTo(target, size.width, size.height);
  const trace = await TraceRecorder.open(folder.dir);
  const prices = loadPriceTable(settings.prices ?? undefined, runtime.env);
  const onEvent = (event: VlmEvent) => {
    if (event.type === "response") {
      state = { ...state, usage: addResponse(state.usage, event) };
      progress({
        type: "note",
        text: `${event.purpose}: ${event.usage.inputTokens}+${event.usage.outputTokens} tokens${event.costUsd === null ? "" : `, $${event.costUsd.toFixed(4)}`} · total ${usageLine(state.usage.total)}`,
      });
    } else if (event.type === "retry") {
      progress({
        type: "note",
        text: `${event.purpose}: ${event.reason}, retry ${event.attempt}/${event.maxAttempts} in ${Math.round(event.delayMs / 1000)} s`,
      });
    }
  };
  const clientOptions = { trace, prices, env: runtime.env, onEvent, ...runtime.client };
  const generator = await createVlmClient({ ...clientOptions, spec: settings.model });
  const verifier = settings.verifierModel
    ? await createVlmClient({ ...clientOptions, spec: settings.verifierModel })
    : generator;
  const pool =
    runtime.pool ??
    (await BlenderPool.start({
      size: runtime.concurrency ?? Math.max(1, Math.min(2, os.availableParallelism())),
      sandbox: runtime.sandbox,
      writableDirs: [folder.dir],
    }));
  const ctx: AgentContext = {
    generator,
    verifier,
    pool,
    targetPng,
    working,
    render: { ...size, samples: settings.samples, seed: settings.seed },
    blenderVersion: pool.blenderVersion,
    repairLimit: settings.repairLimit,
    reaskLimit: settings.reaskLimit,
    runDir: folder.dir,
    progress,
    renders: { count: state.renders },
  };
  const save = async (next: AgentState) => {
    state = {
      ...next,
      usage: state.usage,
      renders: ctx.renders.count,
      seconds: initial.seconds + (Date.now() - started) / 1000,
    };
    await saveState(folder.dir, state);
    if (runtime.signal?.aborted)
      throw new AgentInterrupted(
        `run interrupted; continue it with: seig reconstruct --resume ${folder.dir}`,
      );
  };
  try {
    progress({
      type: "run-start",
      method: `vlm ${generator.model}${settings.oneShot ? " (one-shot)" : ""}`,
      image: settings.image,
      outDir: folder.dir,
      stages: settings.oneShot ? ["one-shot"] : [...settings.stages],
    });
    const best = settings.oneShot ? await oneShot(ctx, state, save) : await staged(ctx, () => state, save);
    return await finish(ctx, folder, target, best, () => state, save, started);
  } finally {
    if (!runtime.pool) await pool.close();
  }
}

type Save = (next: AgentState) => Promise<void>;

async function oneShot(ctx: AgentContext, state: AgentState, save: Save): Promise<Attempt> {
  if (state.best) return state.best;
  const request = oneShotRequest(promptTag({ kind: "one-shot" }), ctx.targetPng, ctx.blenderVersion);
  const first = await ctx.generator.complete(request);
  const result = await finishProgram(ctx, request, first, path.join(ctx.runDir, "one-shot"));
  if (!result.attempt)
    throw new SeigError(
      `the one-shot program never ran (${result.steps.at(-1)?.message}): try a stronger --model`,
    );
  await save({ ...state, best: result.attempt, stageIndex: 0 });
  return result.attempt;
}

async function staged(ctx: AgentContext, current: () => AgentState, save: Save): Promise<Attempt> {
  const settings = current().settings;
  if (!current().sceneGraph) {
    ctx.progress({ type: "note", text: "scene graph" });
    await save({
      ...current(),
      sceneGraph: await askSceneGraph(ctx.generator, ctx.targetPng, ctx.reaskLimit),
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

async function finish(
  ctx: AgentContext,
  folder: RunFolder,
  target: RgbImage,
  best: Attempt,
  current: () => AgentState,
  save: Save,
  started: number,
): Promise<AgentResult> {
  const settings = current().settings;
  ctx.renders.count++;
  const metrics = await renderFinal(ctx.pool, folder, best.source, target, {
    samples: settings.finalSamples,
    seed: settings.seed,
    semanticMetrics: settings.semanticMetrics,
  });
  await save({ ...current(), best, stageIndex: settings.oneShot ? 0 : settings.stages.length });
  const state = current();
  const method = settings.oneShot ? "vlm-one-shot" : settings.tune ? "vlm-staged+tune" : "vlm-staged";
  const stageRows = Object.fromEntries(
    Object.entries(state.stages).map(([s, v]) => [
      s,
      {
        psnr: v.psnr,
        loss: v.loss,
        rounds: v.rounds,
        approved: v.approved,
        tuned: v.tuned,
        renders: v.renders,
      },
    ]),
  );
  await writeJson(folder.metrics, { method, final: metrics, stages: stageRows });
  const seconds = state.seconds;
  await writeJson(folder.run, {
    method,
    model: ctx.generator.model,
    verifierModel: ctx.verifier.model,
    image: path.resolve(settings.image),
    settings,
    versions: { seig: "0.1.0", node: process.version, blender: ctx.blenderVersion },
    target: {
      width: target.width,
      height: target.height,
      originalWidth: target.originalWidth,
      originalHeight: target.originalHeight,
    },
    workingResolution: { width: ctx.render.width, height: ctx.render.height, samples: ctx.render.samples },
    scaffolds: state.scaffolds,
    stages: stageRows,
    usage: state.usage,
    renders: state.renders,
    seconds,
    sandboxed: ctx.pool.sandboxed,
  });
  const rows: ReportRow[] = [
    ...(state.scaffolds
      ? [{ label: "scaffold", image: path.join(folder.stageDir("scaffold"), "best.png"), metrics: {} }]
      : []),
    ...Object.entries(state.stages).map(([s, v]) => ({
      label: s,
      image: path.join(folder.stageDir(s), "best.png"),
      metrics: { psnr: v.psnr, loss: v.loss, "psnr before tune": v.tuned?.psnrBefore ?? null },
    })),
    {
      label: "final",
      image: folder.final,
      metrics: { psnr: metrics.psnr, ssim: metrics.ssim, lpips: metrics.lpips },
    },
  ];
  await writeFile(
    folder.report,
    await renderReport({
      title: `seig reconstruct — ${path.basename(settings.image)}`,
      method: `${method} (${ctx.generator.model}${ctx.verifier.model !== ctx.generator.model ? `, verifier ${ctx.verifier.model}` : ""})`,
      target: path.join(folder.dir, "target.png"),
      rows,
      program: best.source,
      extraHtml: await renderRoundsSection(state.rounds, state.stages, state.usage),
    }),
  );
  ctx.progress({
    type: "run-end",
    outDir: folder.dir,
    seconds: (Date.now() - started) / 1000 + 0,
    renders: state.renders,
    psnr: metrics.psnr,
  });
  return { outDir: folder.dir, program: best.source, metrics, state };
}
