/** `seig eval <target> <image|run-dir>`: every image metric of a reconstruction against its target. */
import { Command, Option } from "commander";
import { z } from "zod";
import { reportCsv, reportMarkdown, resolveRender, scoreImages } from "../bench/image-score.ts";
import { InputError } from "../errors.ts";
import { createMetricModels } from "../metrics/metric-models.ts";
import { formatMetricTable } from "../metrics/metric-table.ts";

const EvalOptions = z
  .object({
    json: z.boolean().optional(),
    csv: z.boolean().optional(),
    md: z.boolean().optional(),
    semantic: z.boolean().default(true),
    lpipsModel: z.string().optional(),
  })
  .refine((o) => [o.json, o.csv, o.md].filter(Boolean).length <= 1, {
    message: "choose at most one of --json, --csv and --md",
  });

export function registerEval(cli: Command): void {
  cli.addCommand(
    new Command("eval")
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
      .addHelpText(
        "after",
        "\nMetrics are computed at the target's resolution; a metric whose model cannot be loaded is shown as unavailable with the reason.",
      )
      .action(async (target: string, image: string, raw: unknown) => {
        const parsed = EvalOptions.safeParse(raw);
        if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message);
        const options = parsed.data;
        const render = await resolveRender(image);
        const models = createMetricModels({ semantic: options.semantic, lpipsModel: options.lpipsModel });
        try {
          const report = await scoreImages(target, render, models);
          if (options.json) console.log(JSON.stringify(report, null, 2));
          else if (options.csv) process.stdout.write(reportCsv(report));
          else if (options.md) process.stdout.write(reportMarkdown(report));
          else console.log(formatMetricTable(report));
        } finally {
          await models.close();
        }
      }),
  );
}
