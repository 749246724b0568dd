/**
 * The offline run from wherever its checkpoint stands: initialisation (unless done), the
 * stages from the one under way, then the final step (offline-finish.ts). Everything a later
 * decision depends on is checkpointed as it changes, and the best program so far is written to
 * program.py at every improvement, so a run stopped at any moment loses at most the renders
 * since its last checkpoint and never its best program.
 */
import path from "node:path";
import { BlenderPool } from "../blender/pool.ts";
import { loadImage } from "../image/load.ts";
import { resizeTo } from "../image/resize.ts";
import type { RgbImage } from "../image/types.ts";
import { mse, psnrFromMse } from "../metrics/psnr.ts";
import { ssim } from "../metrics/ssim.ts";
import { emitProgram } from "../program/emit.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import type { RunFolder } from "../run/folder.ts";
import { writeStageOutputs } from "../run/folder.ts";
import { resumeCommand, throwIfInterrupted } from "../run/interrupt.ts";
import { type BestReporter, liveBestReporter } from "../run/live-best.ts";
import type { RunTracker } from "../run/record.ts";
import { STAGE_DEFINITIONS } from "../stages/index.ts";
import { BudgetMeter, stagePool } from "./budget.ts";
import { IncumbentStore, type OfflineCheckpoint, type StageRow, saveCheckpoint } from "./checkpoint.ts";
import { RenderEvaluator, type RenderLevel } from "./evaluator.ts";
import { initialise } from "./initialise.ts";
import { finishOffline } from "./offline-finish.ts";
import type { OfflineResult, OfflineRuntime } from "./reconstruct.ts";
import { type Incumbent, tuneStage } from "./tune-stage.ts";

/** Longer side of the image the analysis segments and fits colours on. */
const ANALYSIS_SIDE = 160;

function sizeFor(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(11, Math.round(img.width * scale)),
    height: Math.max(11, Math.round(img.height * scale)),
  };
}

async function level(target: RgbImage, name: string, side: number, samples: number): Promise<RenderLevel> {
  const size = sizeFor(target, side);
  return { name, target: await resizeTo(target, size.width, size.height), samples };
}

/** What one process of a run holds: its clock, its cap, its checkpoint and where it writes. */
export interface Session {
  folder: RunFolder;
  target: RgbImage;
  /** Coarse first, working resolution last. */
  levels: RenderLevel[];
  analysis: RenderLevel;
  pool: BlenderPool;
  evaluator: RenderEvaluator;
  store: IncumbentStore;
  runtime: Required<Pick<OfflineRuntime, "progress">> & OfflineRuntime;
  record: RunTracker;
  cp: OfflineCheckpoint;
  /** Seconds of the whole run, earlier sessions included. */
  elapsed: () => number;
  /** The --time-limit has passed. */
  halted: () => boolean;
  save: (patch: Partial<OfflineCheckpoint>) => Promise<void>;
  keepBest: (source: string) => Promise<void>;
  /** Shows the improving render between stage ends (a throttled `best` event). */
  reportBest: BestReporter;
}

async function openSession(
  folder: RunFolder,
  cp: OfflineCheckpoint,
  record: RunTracker,
  runtime: OfflineRuntime,
  pool: BlenderPool,
): Promise<Session> {
  const started = Date.now();
  const target = await loadImage(path.join(folder.dir, "target.png"), { maxSide: 0 });
  const levels = [
    await level(target, "coarse", Math.max(24, Math.round(cp.settings.workingSide / 2)), 4),
    await level(target, "working", cp.settings.workingSide, 8),
  ];
  const analysis = await level(target, "analysis", ANALYSIS_SIDE, 8);
  const resume = resumeCommand(folder.dir);
  const evaluator = new RenderEvaluator(pool, pool.workDir, cp.settings.seed, {
    startCount: cp.renders,
    beforeBatch: () => throwIfInterrupted(runtime.signal, resume),
  });
  const deadline = runtime.timeLimitSeconds === undefined ? null : started + runtime.timeLimitSeconds * 1000;
  let written: string | null = null;
  const progress = runtime.progress ?? (() => {});
  const session: Session = {
    folder,
    target,
    levels,
    analysis,
    pool,
    evaluator,
    store: new IncumbentStore(folder.dir, [analysis, ...levels]),
    runtime: { ...runtime, progress },
    reportBest: liveBestReporter(folder.dir, progress),
    record,
    cp,
    elapsed: () => cp.seconds + (Date.now() - started) / 1000,
    halted: () => deadline !== null && Date.now() >= deadline,
    save: async (patch) => {
      session.cp = { ...session.cp, ...patch, renders: evaluator.renders, seconds: session.elapsed() };
      await saveCheckpoint(folder.dir, session.cp);
    },
    keepBest: async (source) => {
      if (source === written) return;
      await writeFileAtomic(folder.program, source);
      written = source;
    },
  };
  return session;
}

async function stageRow(
  label: string,
  file: string | null,
  lvl: RenderLevel,
  runDir: string,
): Promise<StageRow> {
  if (!file) return { label, image: null, psnr: null, ssim: null };
  const render = await loadImage(file, { maxSide: 0 });
  return {
    label,
    image: path.relative(runDir, file),
    psnr: psnrFromMse(mse(lvl.target, render)),
    ssim: ssim(lvl.target, render),
  };
}

/** Whether `n` more initialisation renders fit the whole run's budget (the final render keeps one). */
function initFits(s: Session, rendersBefore: number, n: number): boolean {
  const budget = s.cp.settings.budget;
  return budget.kind === "renders"
    ? s.evaluator.renders - rendersBefore + n <= budget.renders - 1
    : s.elapsed() < budget.seconds;
}

async function runInitialisation(s: Session): Promise<void> {
  const { progress } = s.runtime;
  const rendersBefore = s.evaluator.renders;
  const secondsBefore = s.elapsed();
  progress({
    type: "note",
    text: "initialisation: analysis, camera, sun, colours, placement (counted in the budget)",
  });
  const init = await initialise({
    evaluator: s.evaluator,
    analysis: s.analysis,
    working: s.levels.at(-1)!,
    progress,
    stop: s.halted,
    fits: (n) => initFits(s, rendersBefore, n),
    onBest: (loss, image) => s.reportBest("initialisation", loss, image),
    sceneKind: s.cp.settings.sceneKind,
  });
  await s.record.update({ sceneKind: init.kind });
  const renders = s.evaluator.renders - rendersBefore;
  const seconds = s.elapsed() - secondsBefore;
  // A note, not a stage-end: initialisation is not one of the stages the events announce.
  progress({
    type: "note",
    text: `initialisation: best loss ${init.best.loss.toFixed(5)} after ${renders} renders (${Math.round(seconds)} s)`,
  });
  progress({
    type: "note",
    text: `scaffold: ${init.spec.objects.length} objects (${init.spec.objects.map((o) => o.name).join(", ")})`,
  });
  const source = emitProgram(init.spec, { source: path.basename(s.cp.settings.image) });
  const inc: Incumbent = { source, loss: init.best.loss, image: init.best.image, level: s.levels.at(-1)! };
  await s.keepBest(source);
  await writeStageOutputs(s.folder, "scaffold", inc.source, inc.image);
  const best = path.join(s.folder.stageDir("scaffold"), "best.png");
  await s.save({
    best: await s.store.save(inc),
    stagePool: stagePool(s.cp.settings.budget, s.evaluator.renders, s.elapsed()),
    stages: { scaffold: { seconds, renders, loss: inc.loss } },
    sceneKind: init.kind,
    rows: [await stageRow("scaffold", inc.image ? best : null, inc.level, s.folder.dir)],
    cut: s.halted() ? { reason: "time-limit", stage: "initialisation", seconds: s.elapsed() } : null,
  });
}

async function runStage(s: Session, index: number, weights: number[]): Promise<void> {
  const stage = s.cp.settings.stages[index]!;
  const { progress } = s.runtime;
  const total = weights.reduce((a, b) => a + b, 0);
  const budget = BudgetMeter.share(s.cp.stagePool!, weights[index]! / total, {
    halt: s.halted,
    start: s.cp.cursor?.spent,
  });
  progress({ type: "stage-start", stage, index, total: s.cp.settings.stages.length });
  const inc = await tuneStage(
    {
      evaluator: s.evaluator,
      budget,
      levels: s.levels,
      seed: s.cp.settings.seed + index * 7919,
      progress,
      moves: true,
      resume: s.cp.cursor ? s.store.loadCursor(s.cp.cursor) : undefined,
      checkpoint: async (cursor) =>
        s.save({
          cursor: await s.store.saveCursor(cursor, {
            renders: budget.renders,
            seconds: budget.elapsedSeconds,
          }),
        }),
      onImprove: async (i) => {
        await s.keepBest(i.source);
        await s.reportBest(stage, i.loss, i.image);
      },
    },
    STAGE_DEFINITIONS[stage],
    s.store.load(s.cp.best!),
  );
  await writeStageOutputs(s.folder, stage, inc.source, inc.image);
  const timing = { seconds: budget.elapsedSeconds, renders: budget.renders, loss: inc.loss };
  progress({
    type: "stage-end",
    stage,
    bestLoss: inc.loss,
    renders: budget.renders,
    seconds: timing.seconds,
  });
  const image = inc.image ? path.join(s.folder.stageDir(stage), "best.png") : null;
  await s.save({
    best: await s.store.save(inc),
    stageIndex: index + 1,
    cursor: null,
    stages: { ...s.cp.stages, [stage]: timing },
    rows: [...s.cp.rows, await stageRow(stage, image, inc.level, s.folder.dir)],
    cut: s.halted() ? { reason: "time-limit", stage, seconds: s.elapsed() } : null,
  });
}

export async function continueOffline(
  folder: RunFolder,
  checkpoint: OfflineCheckpoint,
  record: RunTracker,
  runtime: OfflineRuntime,
): Promise<OfflineResult> {
  const settings = checkpoint.settings;
  const pool =
    runtime.pool ??
    (await BlenderPool.start({
      size: runtime.concurrency,
      sandbox: runtime.sandbox,
      writableDirs: [folder.dir],
    }));
  try {
    const s = await openSession(folder, checkpoint, record, runtime, pool);
    s.runtime.progress({
      type: "run-start",
      method: "offline",
      image: settings.image,
      outDir: folder.dir,
      stages: [...settings.stages],
    });
    if (!s.cp.best) await runInitialisation(s);
    const weights = settings.stages.map((st) => STAGE_DEFINITIONS[st].roundBudget);
    // A --time-limit that passed ends the search; the run still finishes with its best program.
    while (s.cp.stageIndex < settings.stages.length && !s.cp.cut) await runStage(s, s.cp.stageIndex, weights);
    return await finishOffline(s);
  } finally {
    if (!runtime.pool) await pool.close();
  }
}
