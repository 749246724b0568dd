import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { AGENT_WORKING_SIDE } from "../agent/settings.ts";
import { STATE_FILE } from "../agent/state.ts";
import { InputError } from "../errors.ts";
import { formatBudget, parseBudget } from "../offline/budget.ts";
import { CHECKPOINT_FILE } from "../offline/checkpoint.ts";
import { DEFAULT_OFFLINE, reconstructOffline, resumeOffline } from "../offline/reconstruct.ts";
import { pathExists } from "../path-exists.ts";
import { SceneKindChoice } from "../program/scene-kind.ts";
import { interruptOnSignals } from "../run/interrupt.ts";
import { barProgress, jsonProgress, type ProgressSink, warningsOnlyProgress } from "../run/progress.ts";
import { STAGES } from "../stages/index.ts";
import { addAgentOptions, runAgentFromCli, wantsAgent } from "./agent-options.ts";
import { parseOptions, parseStageList } from "./options.ts";
import { addSubmitOptions, type SubmitOptions } from "./queue-options.ts";
import { runReconstructQueued } from "./reconstruct-queued.ts";

const Options = z.object({
  out: z.string().min(1),
  model: z.string().optional(),
  budget: z.string(),
  res: z.coerce.number().int().min(24).max(1024).default(DEFAULT_OFFLINE.workingSide),
  seed: z.coerce.number().int().min(0),
  stages: z.string(),
  concurrency: z.coerce.number().int().min(1).max(64),
  timeLimit: z.coerce.number().positive().optional(),
  force: z.boolean().default(false),
  quiet: z.boolean().default(false),
  json: z.boolean().default(false),
  unsafeNoSandbox: z.boolean().default(false),
  semantic: z.boolean().default(true),
  sceneKind: SceneKindChoice.default("auto"),
});
type Options = z.infer<typeof Options>;

/** Options a resumed run takes from its checkpoint: giving them again is a mistake worth saying. */
const FIXED_ON_RESUME = ["budget", "res", "seed", "stages", "model", "semantic", "out", "sceneKind"] as const;

const BUDGET_HELP =
  "what the whole run may spend: renders (1500 or 1500r) or seconds (60s). Initialisation (about 100–160 renders, always run in full) and the final render count in it; the stages share the rest. A render budget gives the same program on any machine under any load; a time budget does not";

function parsed(raw: Record<string, unknown>, cmd: Command): Options {
  return parseOptions(Options, raw, cmd);
}

async function resumeFromCli(
  dir: string,
  image: string | undefined,
  raw: Record<string, unknown>,
  cmd: Command,
  progress: ProgressSink,
  signal: AbortSignal,
): Promise<void> {
  if (image)
    throw new InputError("--resume continues a run with its own photo: leave out the image argument");
  if (await pathExists(path.join(dir, STATE_FILE)))
    return runAgentFromCli(undefined, raw, progress, signal, cmd);
  if (!(await pathExists(path.join(dir, CHECKPOINT_FILE)))) {
    throw new InputError(
      `--resume ${dir}: no interrupted run there (no ${CHECKPOINT_FILE} or ${STATE_FILE})`,
    );
  }
  const given = FIXED_ON_RESUME.find((name) => cmd.getOptionValueSource(name) === "cli");
  if (given)
    throw new InputError(`--${given} cannot change on --resume: the run keeps the settings it started with`);
  const o = parsed({ ...raw, out: dir }, cmd);
  await resumeOffline(dir, {
    concurrency: o.concurrency,
    sandbox: o.unsafeNoSandbox ? "none" : "auto",
    progress,
    timeLimitSeconds: o.timeLimit,
    signal,
  });
}

export function registerReconstruct(cli: Command): void {
  addSubmitOptions(addAgentOptions(cli.command("reconstruct")))
    .description("Reconstruct an editable Blender scene program from one photo.")
    .argument("[image]", "the photo (PNG, JPEG, WebP, TIFF); omitted with --resume")
    .option(
      "-o, --out <dir>",
      "run folder to write (program.py, final.png, stages/, metrics.json, run.json, report.html)",
    )
    .option(
      "--model <model>",
      'generator model; "offline" (the default without a configured model) uses classical analysis + CMA-ES',
    )
    .option("--budget <n>", `offline: ${BUDGET_HELP}`, formatBudget(DEFAULT_OFFLINE.budget))
    .option(
      "--time-limit <seconds>",
      "offline: hard wall-clock cap of this invocation; the search stops and the run ends with its best program so far (run.json records the cut)",
    )
    .option("--force", "replace a previous run in the -o folder (without it such a folder is refused)")
    .option(
      "--res <px>",
      `working resolution, longer side in pixels (default: ${DEFAULT_OFFLINE.workingSide} offline, where the search renders hundreds of times; ${AGENT_WORKING_SIDE} with a model, which needs to see detail)`,
    )
    .option("--seed <n>", "random seed", String(DEFAULT_OFFLINE.seed))
    .option("--stages <list>", "stages to run, comma-separated (for ablations)", STAGES.join(","))
    .option(
      "--concurrency <n>",
      "Blender workers rendering in parallel (never changes the result)",
      String(DEFAULT_OFFLINE.concurrency),
    )
    .option(
      "--scene-kind <kind>",
      `offline: the scaffold to build — ${SceneKindChoice.options.join(", ")}; auto lets the analysis choose from the frame and the camera search (ground: things on a ground seen from a raised camera; topdown: a surface seen from above; object: an object on a plain backdrop, no ground; closeup: a subject crossing the frame's edges)`,
      "auto",
    )
    .option("--no-semantic", "skip the CLIP/DINO metrics (they may download models once)")
    .option("--quiet", "no progress output")
    .option("--json", "progress as JSON events on stdout, one per line")
    .option(
      "--unsafe-no-sandbox",
      "run Blender without the OS sandbox (only for machines without bubblewrap)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  seig reconstruct photo.jpg -o runs/photo\n  seig reconstruct photo.jpg -o runs/photo --budget 3000 --time-limit 600\n  seig reconstruct --resume runs/photo      (after Ctrl-C or a crash)\n\nThe same photo, seed and options give the same program.py and final.png, whatever the\nmachine's load and --concurrency, unless --budget is in seconds or --time-limit cuts the run.\n",
    )
    .action(async (image: string | undefined, raw: Record<string, unknown>, cmd: Command) => {
      const submit = raw as unknown as SubmitOptions;
      if (submit.queue) return runReconstructQueued(image, raw, { ...submit, queue: submit.queue }, cmd);
      // --quiet still prints the closing warning when the result barely beats the flat image.
      const progress = raw["json"] ? jsonProgress() : raw["quiet"] ? warningsOnlyProgress() : barProgress();
      const interrupt = interruptOnSignals();
      try {
        if (typeof raw["resume"] === "string") {
          return await resumeFromCli(raw["resume"], image, raw, cmd, progress, interrupt.signal);
        }
        if (wantsAgent(raw)) return await runAgentFromCli(image, raw, progress, interrupt.signal, cmd);
        if (!image) throw new InputError("give the photo to reconstruct: seig reconstruct <image> -o <dir>");
        if (raw["out"] === undefined) throw new InputError("-o <dir> is required: the run folder to write");
        // Here --model is absent or "offline": any other model went to the agent above.
        const o = parsed(raw, cmd);
        await reconstructOffline({
          ...DEFAULT_OFFLINE,
          image,
          outDir: o.out,
          budget: parseBudget(o.budget),
          workingSide: o.res,
          seed: o.seed,
          stages: parseStageList(o.stages),
          concurrency: o.concurrency,
          sandbox: o.unsafeNoSandbox ? "none" : "auto",
          semanticMetrics: o.semantic,
          sceneKind: o.sceneKind,
          progress,
          force: o.force,
          timeLimitSeconds: o.timeLimit,
          signal: interrupt.signal,
        });
      } finally {
        interrupt.dispose();
      }
    });
}
