/**
 * The VLM agent's side of `seig reconstruct`: its extra options and the dispatch from parsed
 * command-line options to runAgent / resumeAgent. `src/cli/reconstruct.ts` owns the command and
 * hands over here when --model names a model (anything but "offline") or --resume is given.
 */
import { type Command, Option } from "commander";
import { z } from "zod";
import { planRun, planText } from "../agent/plan.ts";
import { resumeAgent, runAgent } from "../agent/run-agent.ts";
import { AgentSettings } from "../agent/settings.ts";
import { parseMaxTokens, ROLES } from "../agent/token-budgets.ts";
import { InputError } from "../errors.ts";
import type { ProgressSink } from "../run/progress.ts";
import { isStage, STAGE_DEFINITIONS, STAGES, type Stage } from "../stages/index.ts";
import { parseModelSpec } from "../vlm/model-spec.ts";
import { parseOptions, parseStageList } from "./options.ts";

export function addAgentOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--verifier-model <model>", "VLM agent: verifier model (default: the --model generator)"),
    )
    .addOption(new Option("--scaffolds <k>", "VLM agent: scaffold programs written in parallel (default 4)"))
    .addOption(
      new Option(
        "--rounds <list>",
        "VLM agent: rounds per stage, e.g. geometry=5,material=3,composition=3,lighting=2",
      ),
    )
    .addOption(
      new Option("--repair-limit <n>", "VLM agent: repair calls per candidate after an error (default 3)"),
    )
    .addOption(new Option("--samples <n>", "VLM agent: Cycles samples of working renders (default 16)"))
    .addOption(
      new Option("--tune", "VLM agent: after each stage, tune its PARAMS with the offline numeric search"),
    )
    .addOption(
      new Option("--one-shot", "VLM agent: the VLM-only baseline (one call writes the whole program)"),
    )
    .addOption(
      new Option(
        "--prices <file>",
        "price table override (JSON, USD per million tokens; see docs/models.md)",
      ),
    )
    .addOption(
      new Option(
        "--max-tokens <list>",
        `VLM agent: output-token budget per call role, e.g. scaffold=6000,compare=4000 (roles ${ROLES.join(", ")}; defaults fit a 32K-context model)`,
      ),
    )
    .addOption(
      new Option(
        "--max-cost <usd>",
        "VLM agent: stop before a call could take the estimated spend over this many USD, keeping the best program so far",
      ),
    )
    .addOption(
      new Option("--dry-run", "VLM agent: print the planned calls and their estimated cost, then stop"),
    )
    .addOption(
      new Option("--resume <dir>", "continue an interrupted run (offline or VLM) from its run folder"),
    );
}

/** Whether the parsed options ask for the VLM agent rather than the offline method. */
export function wantsAgent(raw: Record<string, unknown>): boolean {
  return raw["resume"] !== undefined || (typeof raw["model"] === "string" && raw["model"] !== "offline");
}

const positiveInt = () => z.coerce.number().int().min(1);

const CliOptions = z.object({
  out: z.string().min(1).optional(),
  model: z.string().optional(),
  verifierModel: z.string().optional(),
  scaffolds: positiveInt().max(16).optional(),
  rounds: z.string().optional(),
  repairLimit: z.coerce.number().int().min(0).max(10).optional(),
  samples: positiveInt().max(4096).optional(),
  res: z.coerce.number().int().min(16).max(2048).optional(),
  seed: z.coerce.number().int().min(0).optional(),
  stages: z.string().optional(),
  concurrency: z.coerce.number().int().min(1).max(64).optional(),
  tune: z.boolean().default(false),
  oneShot: z.boolean().default(false),
  prices: z.string().optional(),
  resume: z.string().optional(),
  maxTokens: z.string().optional(),
  maxCost: z.coerce
    .number({ error: "--max-cost must be a number of USD" })
    .positive("--max-cost must be above 0")
    .optional(),
  dryRun: z.boolean().default(false),
  unsafeNoSandbox: z.boolean().default(false),
  force: z.boolean().default(false),
  timeLimit: z.unknown().optional(),
});

export function parseRounds(text: string): Partial<Record<Stage, number>> {
  const rounds: Partial<Record<Stage, number>> = {};
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(item);
    if (!m || !isStage(m[1]!)) {
      throw new InputError(`--rounds takes stage=count pairs (stages ${STAGES.join(", ")}), got "${item}"`);
    }
    rounds[m[1] as Stage] = Number(m[2]);
  }
  return rounds;
}

export async function runAgentFromCli(
  image: string | undefined,
  raw: Record<string, unknown>,
  progress: ProgressSink,
  signal?: AbortSignal,
  command?: Command,
): Promise<void> {
  const o = parseOptions(CliOptions, raw, command);
  if (o.timeLimit !== undefined)
    throw new InputError(
      "--time-limit applies to the offline method; a VLM run stops with Ctrl-C and resumes",
    );
  const runtime = {
    progress,
    concurrency: o.concurrency,
    sandbox: o.unsafeNoSandbox ? ("none" as const) : ("auto" as const),
    force: o.force,
    signal,
  };
  if (o.resume) {
    if (image)
      throw new InputError("--resume continues a run with its own photo: leave out the image argument");
    await resumeAgent(o.resume, runtime, o.maxCost === undefined ? {} : { maxCost: o.maxCost });
    return;
  }
  if (!image) throw new InputError("give the photo to reconstruct (or --resume <dir> to continue a run)");
  if (!o.out) throw new InputError("-o <dir> is required: the run folder to write");
  // Parse both specs now so a typo stops the run before anything is rendered.
  parseModelSpec(o.model!);
  if (o.verifierModel) parseModelSpec(o.verifierModel);
  const rounds = o.rounds ? parseRounds(o.rounds) : {};
  const input = {
    image,
    outDir: o.out,
    model: o.model!,
    verifierModel: o.verifierModel ?? null,
    scaffolds: o.scaffolds,
    stages: o.stages ? parseStageList(o.stages) : undefined,
    rounds: Object.fromEntries(
      STAGES.map((s) => [s, rounds[s] ?? STAGE_DEFINITIONS[s].roundBudget]),
    ) as Record<Stage, number>,
    repairLimit: o.repairLimit,
    samples: o.samples,
    workingSide: o.res,
    seed: o.seed,
    tune: o.tune,
    oneShot: o.oneShot,
    prices: o.prices ?? null,
    maxTokens: o.maxTokens ? parseMaxTokens(o.maxTokens) : undefined,
    maxCost: o.maxCost ?? null,
  };
  if (o.dryRun) {
    const { outDir: _, ...settings } = input;
    process.stdout.write(`${planText(await planRun(AgentSettings.parse(settings)))}\n`);
    return;
  }
  await runAgent(input, runtime);
}
