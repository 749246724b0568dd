/**
 * Reconstruction methods the benchmark can run. A method turns a target image into a run
 * folder holding at least `final.png` (its render at the target's size) and, when it makes
 * a scene, `program.py`. Methods are looked up by name in a registry that callers build,
 * so the agent's VLM methods plug in beside the offline one.
 */

import type { BlenderPool } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import { parseBudget } from "../offline/budget.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../offline/reconstruct.ts";
import type { ProgressSink } from "../run/progress.ts";
import { isStage, STAGES, type Stage } from "../stages/index.ts";
import { vlmMethod } from "./agent-method.ts";
import { flatMethod } from "./flat-method.ts";

export interface MethodOptions {
  /** Shared Blender workers, for methods that do not start their own. */
  pool: BlenderPool;
  /** Blender workers a method that starts its own pool may use. */
  concurrency?: number;
  /** Stages to run, in order; all four when omitted. */
  stages?: string[];
  /** Passed through to the method: renders (`300`) or seconds (`90s`). */
  budget?: string;
  /** Ablation: one generation, no staged refinement. */
  oneShot?: boolean;
  /** Ablation: numeric tuning of PARAMS after each stage. */
  tune?: boolean;
  seed: number;
  /** A model name for VLM methods (`anthropic:claude-…`); unused by offline. */
  model?: string;
  /** Render on `pool` instead of a pool per scene (a queue worker keeps its pool warm across jobs). */
  warmPool?: boolean;
  /** The method's progress events (a queue worker forwards them to the submitter). */
  progress?: ProgressSink;
}

export type Method = (targetPath: string, outDir: string, options: MethodOptions) => Promise<void>;

export type MethodRegistry = ReadonlyMap<string, Method>;

/** Reads the method name from `--method`: a registered name, or a model spec for the VLM method. */
export function resolveMethod(
  registry: MethodRegistry,
  name: string,
): { method: Method; model?: string } | null {
  const direct = registry.get(name);
  if (direct) return { method: direct };
  const vlm = registry.get("vlm");
  return vlm && name.includes(":") ? { method: vlm, model: name } : null;
}

function stagesFrom(names: readonly string[] | undefined, oneShot: boolean | undefined): Stage[] {
  // The offline method's one-shot ablation is its scaffold alone, without staged refinement.
  if (oneShot) return [];
  if (!names) return [...STAGES];
  return names.map((name) => {
    if (!isStage(name)) throw new InputError(`unknown stage "${name}" — use ${STAGES.join(", ")}`);
    return name;
  });
}

/** Classical analysis + staged CMA-ES search (src/offline); ignores `tune` (it always tunes) and `model`. */
export const offlineMethod: Method = async (targetPath, outDir, options) => {
  await reconstructOffline({
    ...DEFAULT_OFFLINE,
    image: targetPath,
    outDir,
    budget: options.budget ? parseBudget(options.budget) : DEFAULT_OFFLINE.budget,
    seed: options.seed,
    stages: stagesFrom(options.stages, options.oneShot),
    concurrency: options.concurrency ?? DEFAULT_OFFLINE.concurrency,
    ...(options.warmPool ? { pool: options.pool } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    // The benchmark owns its scene folders: a scene it runs again (it failed before) starts afresh.
    force: true,
  });
};

/** The methods built into seig; "vlm" is the staged VLM agent, chosen by giving a model spec as the method. */
export function builtinMethods(): Map<string, Method> {
  return new Map([
    ["offline", offlineMethod],
    ["vlm", vlmMethod()],
    ["flat", flatMethod],
  ]);
}
