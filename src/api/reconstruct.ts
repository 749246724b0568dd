/**
 * `reconstruct(image, options)`: starts a reconstruction and returns at once with a handle — its
 * typed progress events (async-iterable, replayed from the start for every reader), a cancel
 * through an AbortSignal, and `.result`, the finished run read back from its folder. The offline
 * method runs without a model; a model spec runs the VLM agent.
 */
import path from "node:path";
import { z } from "zod";
import { runAgent } from "../agent/run-agent.ts";
import { BlenderPool } from "../blender/pool.ts";
import { parseInput } from "../input-message.ts";
import { parseBudget } from "../offline/budget.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../offline/reconstruct.ts";
import { SceneKindChoice } from "../program/scene-kind.ts";
import { STAGES } from "../stages/index.ts";
import type { ReconstructEvent } from "./events.ts";
import { type ReconstructHandle, startHandle } from "./handle.ts";
import { type PoolSource, SharedPool } from "./pool-source.ts";

export const ReconstructSettings = z.object({
  outDir: z.string().min(1),
  /** "offline" (the default) or a model spec (`anthropic:<id>`, …) for the VLM agent. */
  model: z.string().min(1).default("offline"),
  verifierModel: z.string().min(1).optional(),
  /** Offline search budget: renders (300) or seconds ("90s"). */
  budget: z.union([z.number().int().positive(), z.string()]).optional(),
  workingSide: z.number().int().min(16).max(2048).optional(),
  seed: z.number().int().min(0).default(0),
  stages: z
    .array(z.enum(STAGES))
    .min(1)
    .default([...STAGES]),
  concurrency: z.number().int().min(1).max(64).optional(),
  sandbox: z.enum(["auto", "bwrap", "none"]).default("auto"),
  semanticMetrics: z.boolean().default(false),
  /** Offline only: the scaffold to build (`auto`: the analysis chooses). */
  sceneKind: SceneKindChoice.default("auto"),
  finalSide: z.number().int().min(16).max(8192).optional(),
  finalSamples: z.number().int().min(1).max(4096).optional(),
});
export type ReconstructSettings = z.input<typeof ReconstructSettings>;

export interface ReconstructOptions extends ReconstructSettings {
  /** A pool to share (offline method only: the agent writes renders into its run folder, so it starts its own). */
  pool?: PoolSource;
  /** Cancels the run too, besides handle.abort(). */
  signal?: AbortSignal;
}

function settingsFrom(options: ReconstructOptions): z.output<typeof ReconstructSettings> {
  const { pool: _pool, signal: _signal, ...plain } = options;
  return parseInput(ReconstructSettings, plain, (key) => `reconstruct option ${String(key)}`);
}

async function runMethod(
  image: string,
  s: z.output<typeof ReconstructSettings>,
  pool: PoolSource | undefined,
  signal: AbortSignal,
  progress: (event: ReconstructEvent) => void,
): Promise<void> {
  if (s.model === "offline") {
    await reconstructOffline({
      ...DEFAULT_OFFLINE,
      ...defined({ workingSide: s.workingSide, concurrency: s.concurrency }),
      ...defined({ finalSide: s.finalSide, finalSamples: s.finalSamples }),
      image,
      outDir: s.outDir,
      budget: s.budget === undefined ? DEFAULT_OFFLINE.budget : parseBudget(String(s.budget)),
      seed: s.seed,
      stages: s.stages,
      sandbox: s.sandbox,
      semanticMetrics: s.semanticMetrics,
      sceneKind: s.sceneKind,
      pool: pool instanceof SharedPool ? await pool.get() : pool,
      signal,
      progress,
    });
    return;
  }
  await runAgent(
    {
      image,
      outDir: s.outDir,
      model: s.model,
      verifierModel: s.verifierModel ?? null,
      stages: s.stages,
      seed: s.seed,
      semanticMetrics: s.semanticMetrics,
      ...defined({ workingSide: s.workingSide, finalSide: s.finalSide, finalSamples: s.finalSamples }),
    },
    {
      progress,
      signal,
      concurrency: s.concurrency,
      sandbox: s.sandbox,
      pool: pool instanceof BlenderPool ? pool : undefined,
    },
  );
}

/** The object without its undefined entries, so defaults underneath stay. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function reconstruct(image: string, options: ReconstructOptions): ReconstructHandle {
  const settings = settingsFrom(options);
  const outDir = path.resolve(settings.outDir);
  return startHandle(outDir, options.signal, (signal, progress) =>
    runMethod(image, { ...settings, outDir }, options.pool, signal, progress),
  );
}

export type { HandleStatus, ReconstructHandle } from "./handle.ts";
