/** `seig eval <target> <image|run-dir>`: every image metric of a reconstruction against its target. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { compare } from "../api/scene.ts";
import type { Errors3d } from "../bench/errors3d.ts";
import { PROGRAM } from "../bench/generate.ts";
import { reportCsv, reportMarkdown, resolveRender } from "../bench/image-score.ts";
import { errors3dCsv, errors3dMarkdown, programErrors3d } from "../bench/program-errors.ts";
import { InputError, SeigError } from "../errors.ts";
import { createMetricModels } from "../metrics/metric-models.ts";
import { formatMetricTable } from "../metrics/metric-table.ts";
import { addRuntimeOptions, parseOptions, type RuntimeOptions } from "./options.ts";
import { startPool } from "./runtime.ts";

const EvalOptions = z
  .object({
    json: z.boolean().optional(),
    csv: z.boolean().optional(),
    md: z.boolean().optional(),
    semantic: z.boolean().default(true),
    lpipsModel: z.string().optional(),
    truth: z.string().optional(),
  })
  .refine((o) => [o.json, o.csv, o.md].filter(Boolean).length <= 1, {
    message: "choose at most one of --json, --csv and --md",
  });

/** The 3D errors of a run folder's program.py against a truth.json. */
async function runErrors3d(runDir: string, truth: string, runtime: RuntimeOptions): Promise<Errors3d> {
  const program = path.join(runDir, PROGRAM);
  if (!(await stat(program).catch(() => null))?.isFile()) {
    throw new InputError(`--truth needs a run folder holding ${PROGRAM}; ${runDir} has none`);
  }
  if (!(await stat(truth).catch(() => null))) throw new InputError(`--truth ${truth} does not exist`);
  const pool = await startPool({ ...runtime, concurrency: 1 });
  try {
    return await programErrors3d(pool, truth, program);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new SeigError(`scoring ${program} against ${truth} failed: ${(e as Error).message}`);
  } finally {
    await pool.close();
  }
}

export function registerEval(cli: Command): void {
  const command = new Command("eval")
    .alias("compare")
    .description(
      "compare an image (or a run folder's final.png) with its target: PSNR, SSIM, LPIPS, CLIP, DINO",
    )
    .argument("<target>", "the target photo")
    .argument("<image>", "a rendered image, or a run folder holding final.png")
    .addOption(new Option("--json", "print the metric report as JSON"))
    .addOption(new Option("--csv", "print metric,value,better,note as CSV"))
    .addOption(new Option("--md", "print a Markdown table"))
    .addOption(new Option("--no-semantic", "skip CLIP and DINO (reported as unavailable)"))
    .addOption(new Option("--lpips-model <file>", "LPIPS ONNX model (default: the bundled SqueezeNet one)"))
    .addOption(
      new Option(
        "--truth <truth.json>",
        "also score the run folder's program.py against this ground truth (3D errors in camera space)",
      ),
    )
    .addHelpText(
      "after",
      "\nMetrics are computed at the target's resolution; a metric whose model cannot be loaded is shown as unavailable with the reason.\nWith --truth (a truth.json of seig bench generate), the 3D errors are those of seig bench run: see docs/results.md.",
    )
    .action(async (target: string, image: string, raw: unknown, command: Command) => {
      const options = parseOptions(EvalOptions, raw, command);
      const render = await resolveRender(image);
      const e3d = options.truth ? await runErrors3d(image, options.truth, raw as RuntimeOptions) : null;
      const models = createMetricModels({ semantic: options.semantic, lpipsModel: options.lpipsModel });
      try {
        const report = await compare(target, render, { models });
        if (options.json) console.log(JSON.stringify(e3d ? { ...report, errors3d: e3d } : report, null, 2));
        else if (options.csv) process.stdout.write(reportCsv(report) + (e3d ? errors3dCsv(e3d) : ""));
        else if (options.md)
          process.stdout.write(reportMarkdown(report) + (e3d ? `\n${errors3dMarkdown(e3d)}` : ""));
        else console.log(formatMetricTable(report) + (e3d ? `\n\n${errors3dMarkdown(e3d).trimEnd()}` : ""));
      } finally {
        await models.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
