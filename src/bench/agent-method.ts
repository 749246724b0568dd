/**
 * The VLM agent as a benchmark method: `seig bench run <dir> --method <model spec>` runs the staged
 * agent per scene on the benchmark's shared Blender pool (`--one-shot`: the one-shot baseline,
 * `--tune`: numeric tuning after each stage, `--budget N`: its renders per stage).
 */

import { type AgentRuntime, runAgent } from "../agent/run-agent.ts";
import type { AgentSettingsInput } from "../agent/settings.ts";
import { InputError } from "../errors.ts";
import { parseBudget } from "../offline/budget.ts";
import { isStage, STAGES, type Stage } from "../stages/index.ts";
import type { Method } from "./methods.ts";

function stageList(names: readonly string[] | undefined): Stage[] | undefined {
  return names?.map((name) => {
    if (!isStage(name)) throw new InputError(`unknown stage "${name}" — use ${STAGES.join(", ")}`);
    return name;
  });
}

function tuneRenders(budget: string | undefined, tune: boolean): number | undefined {
  if (budget === undefined) return undefined;
  const spec = parseBudget(budget);
  if (!tune || spec.kind !== "renders")
    throw new InputError(
      `--budget ${budget}: VLM methods take a budget only with --tune, as renders of numeric tuning per stage (e.g. --tune --budget 40)`,
    );
  return spec.renders;
}

/**
 * `defaults` fixes settings the benchmark has no option for (working size, samples, rounds);
 * `runtime` where keys and base URLs come from (default process.env) and how calls are retried.
 */
export function vlmMethod(
  defaults: Partial<AgentSettingsInput> = {},
  runtime: Pick<AgentRuntime, "env" | "client" | "progress"> = {},
): Method {
  return async (targetPath, outDir, options) => {
    if (!options.model)
      throw new InputError("the vlm method needs a model: --method anthropic:<id> (or any other model spec)");
    const tune = options.tune ?? false;
    await runAgent(
      {
        ...defaults,
        image: targetPath,
        outDir,
        model: options.model,
        stages: stageList(options.stages),
        oneShot: options.oneShot ?? false,
        tune,
        tuneRenders: tuneRenders(options.budget, tune),
        seed: options.seed,
      },
      // The benchmark owns its scene folders: a scene it runs again (it failed before) starts afresh.
      { ...runtime, pool: options.pool, force: true },
    );
  };
}
