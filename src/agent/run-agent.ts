/**
 * The SEIG VLM agent end to end: scene graph → K scaffolds → stages (geometry → material →
 * composition → lighting) of generator–verifier rounds, optional numeric tuning after each stage,
 * a final render and the run folder (program.py, final.png, stages/, rounds/, metrics.json,
 * run.json, state.json, trace.jsonl, report.html). `--one-shot` runs the VLM-only baseline instead.
 * State is saved after every step, so a run that stops — interrupted, failed, killed — resumes
 * where it stopped; run.json is written however it ends.
 */
import os from "node:os";
import path from "node:path";
import { BlenderPool } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { InputError, oneLine, SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { loadPhoto } from "../image/photo.ts";
import { resizeTo } from "../image/resize.ts";
import { saveImage } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { withResolution } from "../program/resolution.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import { createRunFolder, type RunFolder } from "../run/folder.ts";
import { newRunFolder } from "../run/folder-guard.ts";
import { type ProgressSink, quietProgress } from "../run/progress.ts";
import { RunTracker } from "../run/record.ts";
import { readRunStatus } from "../run/status.ts";
import type { VlmClient, VlmClientOptions } from "../vlm/client.ts";
import type { Env } from "../vlm/providers.ts";
import { createModelSession } from "../vlm/session.ts";
import { TraceRecorder } from "../vlm/trace.ts";
import { callNotes } from "./call-notes.ts";
import type { AgentContext } from "./context.ts";
import { BudgetExhausted, withCostBudget } from "./cost-budget.ts";
import type { Attempt } from "./execute.ts";
import { finish } from "./run-finish.ts";
import { resumeCommand, writeRunRecord } from "./run-record.ts";
import { oneShot, staged } from "./run-staged.ts";
import { AgentSettings, type AgentSettingsInput } from "./settings.ts";
import { type AgentState, loadState, saveState } from "./state.ts";
import { addResponse, emptyUsage, usageFromTrace } from "./usage.ts";

/** Thrown when the run's AbortSignal fires; the state saved so far is what --resume continues. */
export class AgentInterrupted extends SeigError {}

/** A run that stopped early; its message ends with the --resume command that continues it. */
export class AgentStopped extends SeigError {}

export interface AgentRuntime {
  /** A pool to use instead of starting one (its writable folders must include the run folder). */
  pool?: BlenderPool;
  concurrency?: number;
  sandbox?: SandboxMode;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Env;
  /** Retry, timeout and heartbeat settings of the model clients. */
  client?: Pick<VlmClientOptions, "maxRetries" | "backoff" | "timeoutMs" | "heartbeatMs">;
  progress?: ProgressSink;
  /** Stops the run after the step under way has been saved (throws AgentInterrupted). */
  signal?: AbortSignal;
  /** Replace a previous run in the output folder (without it such a folder is refused). */
  force?: boolean;
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
    traceSeq: 0,
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
  // A photo that cannot be read fails before the folder exists; a previous run is replaced only with force.
  const { folder, input: target } = await newRunFolder(outDir, runtime.force ?? false, () =>
    loadPhoto(settings.image, settings.finalSide),
  );
  await saveImage(target, path.join(folder.dir, "target.png"));
  const state = freshState(settings);
  await saveState(folder.dir, state);
  return continueRun(folder, state, runtime);
}

/** Continues a run from its state.json; `maxCost` replaces the run's budget (e.g. a larger one). */
export async function resumeAgent(
  runDir: string,
  runtime: AgentRuntime = {},
  overrides: { maxCost?: number | null } = {},
): Promise<AgentResult> {
  const reading = await readRunStatus(runDir);
  if (reading.kind === "run" && reading.status === "running")
    throw new InputError(`--resume ${runDir}: the run is still in progress (pid ${reading.json.pid})`);
  const folder = await createRunFolder(runDir);
  const state = await loadState(folder.dir);
  const settings =
    overrides.maxCost === undefined ? state.settings : { ...state.settings, maxCost: overrides.maxCost };
  return continueRun(folder, { ...state, settings }, runtime);
}

async function modelClients(
  state: () => AgentState,
  trace: TraceRecorder,
  runtime: AgentRuntime,
  progress: ProgressSink,
  onUsage: (u: Parameters<typeof addResponse>[1]) => void,
): Promise<{ generator: VlmClient; verifier: VlmClient }> {
  const settings = state().settings;
  const onEvent = callNotes(progress, onUsage, () => state().usage.total);
  const session = await createModelSession(
    { model: settings.model, verifierModel: settings.verifierModel, prices: settings.prices },
    { trace, env: runtime.env, onEvent, client: runtime.client },
  );
  const budget = (c: VlmClient) =>
    settings.maxCost === null
      ? c
      : withCostBudget(c, settings.maxCost, session.prices, () => state().usage.total);
  return { generator: budget(session.generator), verifier: budget(session.verifier) };
}

async function continueRun(
  folder: RunFolder,
  initial: AgentState,
  runtime: AgentRuntime,
): Promise<AgentResult> {
  const started = Date.now();
  const settings = initial.settings;
  const progress = runtime.progress ?? quietProgress;
  const { recorder: trace, existing } = await TraceRecorder.openWith(folder.dir);
  // The trace is the record of what was paid for; calls past the last saved step are redone.
  if (existing.some((e) => e.seq > initial.traceSeq)) await trace.markResume(initial.traceSeq);
  let state: AgentState = { ...initial, usage: usageFromTrace(existing) };
  const targetPng = path.join(folder.dir, "target.png");
  const target = await loadImage(targetPng, { maxSide: 0 });
  const size = workingSize(target, settings.workingSide);
  const working = await resizeTo(target, size.width, size.height);
  const models = await modelClients(
    () => state,
    trace,
    runtime,
    progress,
    (u) => {
      state = { ...state, usage: addResponse(state.usage, u) };
    },
  );
  const pool =
    runtime.pool ??
    (await BlenderPool.start({
      size: runtime.concurrency ?? Math.max(1, Math.min(2, os.availableParallelism())),
      sandbox: runtime.sandbox,
      writableDirs: [folder.dir],
    }));
  const ctx: AgentContext = {
    ...models,
    pool,
    targetPng,
    working,
    render: { ...size, samples: settings.samples, seed: settings.seed },
    blenderVersion: pool.blenderVersion,
    repairLimit: settings.repairLimit,
    reaskLimit: settings.reaskLimit,
    maxTokens: settings.maxTokens,
    runDir: folder.dir,
    progress,
    renders: { count: state.renders },
  };
  // `finished` is false for the record of a failed step: its calls stay past traceSeq (abandoned).
  const snapshot = (next: AgentState, finished = true): AgentState => ({
    ...next,
    usage: state.usage,
    traceSeq: finished ? trace.lastSeq : next.traceSeq,
    renders: ctx.renders.count,
    seconds: initial.seconds + (Date.now() - started) / 1000,
  });
  const save = async (next: AgentState) => {
    // The best program so far is on disk at every step, whatever happens next.
    if (next.best && next.best.source !== state.best?.source)
      await writeFileAtomic(folder.program, next.best.source);
    state = snapshot(next);
    await saveState(folder.dir, state);
    if (runtime.signal?.aborted)
      throw new AgentInterrupted(`run interrupted; continue it with: ${resumeCommand(folder.dir)}`);
  };
  // run.json says `running` (with a heartbeat) until writeRunRecord replaces it with how the run ended.
  const tracker = await RunTracker.begin(folder.dir, "vlm", resumeCommand(folder.dir), {
    image: path.resolve(settings.image),
  });
  try {
    progress({
      type: "run-start",
      method: `vlm ${ctx.generator.model}${settings.oneShot ? " (one-shot)" : ""}`,
      image: settings.image,
      outDir: folder.dir,
      stages: settings.oneShot ? ["one-shot"] : [...settings.stages],
    });
    let best: Attempt;
    let stopped: string | null = null;
    try {
      best = settings.oneShot ? await oneShot(ctx, state, save) : await staged(ctx, () => state, save);
    } catch (e) {
      if (!(e instanceof BudgetExhausted) || !state.best) throw e;
      // Graceful: the best program so far is a complete program; finish the run with it.
      stopped = `stopped early: ${e.message}`;
      progress({ type: "note", text: stopped });
      best = state.best;
    }
    // The result carries the photo's size, like the program.py renderFinal writes.
    const framed = { ...best, source: withResolution(best.source, target) };
    const done = await finish(ctx, folder, target, framed, () => state, save, stopped, tracker);
    progress({
      type: "run-end",
      outDir: folder.dir,
      seconds: (Date.now() - started) / 1000,
      renders: done.state.renders,
      psnr: done.metrics.psnr,
      flat: done.flat,
    });
    if (stopped)
      progress({
        type: "note",
        text: `continue it with a larger budget: ${resumeCommand(folder.dir)} --max-cost <usd>`,
      });
    return { outDir: folder.dir, ...done };
  } catch (e) {
    await tracker.stop();
    throw await recordStop(folder, ctx, snapshot(state, false), e);
  } finally {
    if (!runtime.pool) await pool.close();
  }
}

/**
 * A run that stopped early keeps state.json (every call included) and gets a run.json with its
 * spend; the error it ends with names the command that continues it.
 */
async function recordStop(
  folder: RunFolder,
  ctx: AgentContext,
  state: AgentState,
  e: unknown,
): Promise<unknown> {
  if (e instanceof AgentStopped) return e;
  const interrupted = e instanceof AgentInterrupted;
  const reason = oneLine(e);
  // Best effort: the error being reported matters more than a second one while recording it.
  await saveState(folder.dir, state).catch(() => undefined);
  await writeRunRecord(folder, ctx, state, { status: interrupted ? "interrupted" : "failed", reason }).catch(
    () => undefined,
  );
  if (interrupted || !(e instanceof SeigError)) return e;
  return new AgentStopped(
    `${reason.replace(/[.;:,\s]+$/, "")}; the run stopped early, continue it with: ${resumeCommand(folder.dir)}`,
    e.exitCode,
    { cause: e },
  );
}
