import path from "node:path";
import { InputError, oneLine, SeigError } from "../errors.ts";
import { loadPhoto } from "../image/photo.ts";
import { saveImage } from "../image/save.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { withResolution } from "../program/resolution.ts";
import { removeAbandonedTemps, writeFileAtomic } from "../run/atomic.ts";
import { createRunFolder, type RunFolder } from "../run/folder.ts";
import { newRunFolder } from "../run/folder-guard.ts";
import { quietProgress } from "../run/progress.ts";
import { RunTracker } from "../run/record.ts";
import { readRunStatus } from "../run/status.ts";
import { TraceRecorder } from "../vlm/trace.ts";
import type { AgentContext } from "./context.ts";
import { BudgetExhausted } from "./cost-budget.ts";
import type { Attempt } from "./execute.ts";
import { type AgentRuntime, openContext, type StateBox } from "./run-context.ts";
import { finish } from "./run-finish.ts";
import { resumeCommand, writeRunRecord } from "./run-record.ts";
import { oneShot, type Save, staged } from "./run-staged.ts";
import { AgentSettings, type AgentSettingsInput } from "./settings.ts";
import { type AgentState, loadState, saveState } from "./state.ts";
import { emptyUsage, usageFromTrace } from "./usage.ts";

/** Thrown when the run's AbortSignal fires; the state saved so far is what --resume continues. */
export class AgentInterrupted extends SeigError {}

/** A run that stopped early; its message ends with the --resume command that continues it. */
export class AgentStopped extends SeigError {}

export type { AgentRuntime } from "./run-context.ts";

export interface AgentResult {
  outDir: string;
  program: string;
  metrics: MetricReport;
  state: AgentState;
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
  await removeAbandonedTemps(runDir);
  const folder = await createRunFolder(runDir);
  const state = await loadState(folder.dir);
  const settings =
    overrides.maxCost === undefined ? state.settings : { ...state.settings, maxCost: overrides.maxCost };
  return continueRun(folder, { ...state, settings }, runtime);
}

/** The program: one-shot or staged. A spent budget ends the run gracefully with the best so far. */
async function produce(
  ctx: AgentContext,
  box: StateBox,
  save: Save,
): Promise<{ best: Attempt; stopped: string | null }> {
  try {
    const best = box.state.settings.oneShot
      ? await oneShot(ctx, box.state, save)
      : await staged(ctx, () => box.state, save);
    return { best, stopped: null };
  } catch (e) {
    if (!(e instanceof BudgetExhausted) || !box.state.best) throw e;
    const stopped = `stopped early: ${e.message}`;
    ctx.progress({ type: "note", text: stopped });
    return { best: box.state.best, stopped };
  }
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
  const box: StateBox = { state: { ...initial, usage: usageFromTrace(existing) } };
  const { ctx, target, pool } = await openContext(folder, box, trace, runtime, progress);
  // `finished` is false for the record of a failed step: its calls stay past traceSeq (abandoned).
  const snapshot = (next: AgentState, finished = true): AgentState => ({
    ...next,
    usage: box.state.usage,
    traceSeq: finished ? trace.lastSeq : next.traceSeq,
    renders: ctx.renders.count,
    seconds: initial.seconds + (Date.now() - started) / 1000,
  });
  const save = async (next: AgentState) => {
    // The best program so far is on disk at every step, whatever happens next.
    if (next.best && next.best.source !== box.state.best?.source)
      await writeFileAtomic(folder.program, next.best.source);
    box.state = snapshot(next);
    await saveState(folder.dir, box.state);
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
    const { best, stopped } = await produce(ctx, box, save);
    // The result carries the photo's size, like the program.py renderFinal writes.
    const framed = { ...best, source: withResolution(best.source, target) };
    const done = await finish(ctx, folder, target, framed, () => box.state, save, stopped, tracker);
    const seconds = (Date.now() - started) / 1000;
    const { renders } = done.state;
    progress({
      type: "run-end",
      outDir: folder.dir,
      seconds,
      renders,
      psnr: done.metrics.psnr,
      flat: done.flat,
    });
    if (stopped) {
      const text = `continue it with a larger budget: ${resumeCommand(folder.dir)} --max-cost <usd>`;
      progress({ type: "note", text });
    }
    return { outDir: folder.dir, ...done };
  } catch (e) {
    await tracker.stop();
    throw await recordStop(folder, ctx, snapshot(box.state, false), e);
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
