/** `seig reconstruct <image> -o <dir>`: photo → scene program (offline method when no model is configured). */
import type { Command } from "commander";
import { z } from "zod";
import { addAgentOptions, runAgentFromCli, wantsAgent } from "../agent/cli-agent.ts";
import { barProgress, jsonProgress, quietProgress } from "../agent/progress.ts";
import { AGENT_WORKING_SIDE } from "../agent/settings.ts";
import { InputError } from "../errors.ts";
import { parseBudget } from "../offline/budget.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../offline/reconstruct.ts";
import { STAGES } from "../program/sections.ts";
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
  quiet: z.boolean().default(false),
  json: z.boolean().default(false),
  unsafeNoSandbox: z.boolean().default(false),
  semantic: z.boolean().default(true),
});

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
    .option(
      "--budget <n>",
      "search budget: renders (300) or seconds (90s)",
      `${DEFAULT_OFFLINE.budget.kind === "seconds" ? `${DEFAULT_OFFLINE.budget.seconds}s` : "300"}`,
    )
    .option(
      "--res <px>",
      `working resolution, longer side in pixels (default: ${DEFAULT_OFFLINE.workingSide} offline, where the search renders hundreds of times; ${AGENT_WORKING_SIDE} with a model, which needs to see detail)`,
    )
    .option("--seed <n>", "random seed", String(DEFAULT_OFFLINE.seed))
    .option("--stages <list>", "stages to run, comma-separated (for ablations)", STAGES.join(","))
    .option("--concurrency <n>", "Blender workers rendering in parallel", String(DEFAULT_OFFLINE.concurrency))
    .option("--no-semantic", "skip the CLIP/DINO metrics (they may download models once)")
    .option("--quiet", "no progress output")
    .option("--json", "progress as JSON events on stdout, one per line")
    .option(
      "--unsafe-no-sandbox",
      "run Blender without the OS sandbox (only for machines without bubblewrap)",
    )
    .addHelpText("after", "\nExample:\n  seig reconstruct photo.jpg -o runs/photo --budget 90s\n")
    .action(async (image: string | undefined, raw: Record<string, unknown>, command: Command) => {
      const submit = raw as unknown as SubmitOptions;
      if (submit.queue) return runReconstructQueued(image, raw, { ...submit, queue: submit.queue }, command);
      const progress = raw["json"] ? jsonProgress() : raw["quiet"] ? quietProgress : barProgress();
      if (wantsAgent(raw)) return runAgentFromCli(image, raw, progress, command);
      if (!image) throw new InputError("give the photo to reconstruct: seig reconstruct <image> -o <dir>");
      const o = parseOptions(Options, raw, command);
      if (o.model && o.model !== "offline") {
        throw new InputError(
          `--model ${o.model}: only the offline method is available in this build; use --model offline`,
        );
      }
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
        progress: o.json ? jsonProgress() : o.quiet ? quietProgress : barProgress(),
      });
    });
}
