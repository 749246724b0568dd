/** `seig bench generate | run | compare`: ground-truth suites, benchmark runs and their comparison. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { z } from "zod";
import { compareRuns, comparisonCsv, comparisonMarkdown, readRun } from "../bench/compare.ts";
import { generateSuite, SuiteName } from "../bench/generate.ts";
import { builtinMethods, resolveMethod } from "../bench/methods.ts";
import { runBench } from "../bench/run.ts";
import { checkBenchOutput } from "../bench/run-manifest.ts";
import { listScenes } from "../bench/scenes.ts";
import { readRunOrScores, summaryMarkdown, writeSummaryInto } from "../bench/summary.ts";
import { InputError } from "../errors.ts";
import { createMetricModels } from "../metrics/metric-models.ts";
import { finishBench } from "./bench-finish.ts";
import { runBenchQueued } from "./bench-queued.ts";
import {
  addRuntimeOptions,
  intOption,
  parseOptions,
  parseStageList,
  type RuntimeOptions,
} from "./options.ts";
import { addSubmitOptions, deliveryFrom, type SubmitOptions } from "./queue-options.ts";
import { startPool } from "./runtime.ts";

function progressBar(total: number, label: string): SingleBar {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} scenes | {scene}`,
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  bar.start(total, 0, { scene: "" });
  return bar;
}

const GenerateOptions = z.object({
  suite: SuiteName,
  n: z.number().int().min(1),
  seed: z.number().int().min(0),
  out: z.string(),
  samples: z.number().int().min(1),
});

function generateCommand(): Command {
  const command = new Command("generate")
    .description(
      "write a suite of ground-truth scenes: program.py, truth.json and the rendered target.png per scene",
    )
    .requiredOption("--suite <name>", SuiteName.options.join(" | "))
    .addOption(
      new Option("--n <count>", "number of scenes").argParser(intOption("--n", 1, 10000)).default(10),
    )
    .addOption(
      new Option("--seed <n>", "suite seed").argParser(intOption("--seed", 0, 2 ** 31 - 1)).default(0),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples of the targets")
        .argParser(intOption("--samples", 1, 4096))
        .default(64),
    )
    .requiredOption("-o, --out <dir>", "output folder")
    .addHelpText("after", "\nThe same suite, n, seed and samples always give the same programs and pixels.")
    .action(async (raw: unknown) => {
      const options = parseOptions(GenerateOptions, raw);
      const runtime = raw as RuntimeOptions;
      await mkdir(options.out, { recursive: true });
      const pool = await startPool(runtime, [path.resolve(options.out)]);
      const bar = progressBar(options.n, `generate ${options.suite}`);
      try {
        await generateSuite(pool, {
          suite: options.suite,
          n: options.n,
          seed: options.seed,
          outDir: options.out,
          samples: options.samples,
          onSceneDone: (id) => bar.increment({ scene: id }),
        });
      } finally {
        bar.stop();
        await pool.close();
      }
      console.log(path.join(options.out, "suite.json"));
    });
  return addRuntimeOptions(command);
}

const RunOptions = z.object({
  method: z.string().min(1),
  model: z.string().optional(),
  out: z.string(),
  stages: z.string().optional(),
  budget: z.string().optional(),
  oneShot: z.boolean().optional(),
  tune: z.boolean().optional(),
  seed: z.number().int().min(0),
  concurrency: z.number().int().min(1).optional(),
  semantic: z.boolean().default(false),
  force: z.boolean().default(false),
});

function runCommand(): Command {
  const command = new Command("run")
    .description("reconstruct every target of a benchmark folder with a method, then score it (resumable)")
    .argument("<dir>", "a folder made by `seig bench generate`, or any folder of images")
    .requiredOption("--method <name>", "offline | one-shot | a model (anthropic:<model>, openai:<model>, …)")
    .requiredOption(
      "-o, --out <dir>",
      "output folder (rerun with the same folder and options to resume; other options are refused)",
    )
    .addOption(new Option("--force", "replace a bench run in the output folder made with other options"))
    .addOption(new Option("--stages <list>", "comma-separated stages to run (default: all four)"))
    .addOption(
      new Option(
        "--budget <n|Ns>",
        "per-scene budget, passed to the method: renders (1500) or seconds (60s); offline: the whole run's, see `seig reconstruct --help`",
      ),
    )
    .addOption(
      new Option("--model <spec>", "with --method one-shot: the model that writes the whole program"),
    )
    .addOption(new Option("--one-shot", "ablation: no staged refinement"))
    .addOption(new Option("--tune", "ablation: numeric PARAMS tuning after each stage (VLM methods)"))
    .addOption(new Option("--no-tune", "ablation: no numeric tuning"))
    .addOption(
      new Option("--seed <n>", "method seed").argParser(intOption("--seed", 0, 2 ** 31 - 1)).default(0),
    )
    .addOption(new Option("--semantic", "also compute CLIP and DINO (may download the models once)"))
    .addHelpText(
      "after",
      "\nWith --queue, scenes become jobs for `seig worker`s (see docs/distributed.md); the outputs are the same.\nWrites results.json, results.csv, results.md, plots/*.svg|png and index.html into the output folder.\nScenes with truth.json also get 3D errors, measured in each scene's own camera frame with the scale\nremoved (lengths over the median object depth), since one photo fixes a scene only up to its camera:\nobjects matched by the Hungarian method on projected centres, count accuracy, recall, position error,\nprojected (image) error in image widths, size error, colour ΔE00 and rubber/metal accuracy.",
    )
    .action(benchRunAction);
  return addSubmitOptions(addRuntimeOptions(command));
}

type RunOptionsValue = ReturnType<typeof RunOptions.parse>;

/** `--method one-shot --model m` is the paper's VLM baseline; without a model, the offline scaffold alone. */
function benchMethod(options: RunOptionsValue): {
  methodName: string;
  resolved: NonNullable<ReturnType<typeof resolveMethod>>;
} {
  const methodName = options.method === "one-shot" ? (options.model ?? "offline") : options.method;
  const resolved = resolveMethod(builtinMethods(), methodName);
  if (!resolved) {
    throw new InputError(
      `unknown method "${methodName}" — use offline, one-shot or a model (anthropic:<id>, …)`,
    );
  }
  return { methodName, resolved };
}

/** Queued or not, the output folder holds one bench run: same options resume it, others are refused. */
function claimBenchOutput(outDir: string, dir: string, options: RunOptionsValue) {
  return checkBenchOutput(
    outDir,
    {
      benchDir: path.resolve(dir),
      method: options.method,
      model: options.model ?? null,
      stages: options.stages ?? null,
      budget: options.budget ?? null,
      oneShot: options.oneShot ?? false,
      tune: options.tune ?? null,
      seed: options.seed,
      semantic: options.semantic,
    },
    options.force,
  );
}

async function benchRunAction(dir: string, raw: unknown): Promise<void> {
  const options = parseOptions(RunOptions, raw);
  const { methodName, resolved } = benchMethod(options);
  // A bad --stages fails here, before the output folder is claimed.
  if (options.stages !== undefined) parseStageList(options.stages);
  const submit = raw as SubmitOptions;
  const outDir = path.resolve(options.out);
  const claim = await claimBenchOutput(outDir, dir, options);
  if (submit.queue) {
    // The queue's own options are checked first, so a mistake there leaves no folder behind.
    await deliveryFrom(submit);
    await claim.commit();
    return runBenchQueued(dir, options, methodName, { ...submit, queue: submit.queue });
  }
  const scenes = await listScenes(dir);
  await claim.commit();
  await runBenchHere(dir, scenes, outDir, options, resolved, raw as RuntimeOptions);
}

/** One scene at a time on this machine's pool, with a progress bar over the scenes. */
async function runBenchHere(
  dir: string,
  scenes: Awaited<ReturnType<typeof listScenes>>,
  outDir: string,
  options: RunOptionsValue,
  resolved: NonNullable<ReturnType<typeof resolveMethod>>,
  runtime: RuntimeOptions,
): Promise<void> {
  const pool = await startPool({ ...runtime, concurrency: 1 }, [outDir]);
  const models = createMetricModels({ semantic: options.semantic });
  const bar = progressBar(scenes.length, `bench ${options.method}`);
  const failures: string[] = [];
  try {
    const scores = await runBench(scenes, {
      outDir,
      method: resolved.method,
      methodOptions: {
        seed: options.seed,
        stages: options.stages === undefined ? undefined : parseStageList(options.stages),
        budget: options.budget,
        oneShot: options.oneShot || options.method === "one-shot",
        tune: options.tune,
        model: resolved.model,
        concurrency: options.concurrency,
      },
      pool,
      models,
      concurrency: 1,
      onSceneDone: (score) => {
        if (score.error) failures.push(`${score.scene}: ${score.error}`);
        bar.increment({ scene: score.scene });
      },
    });
    bar.stop();
    await finishBench(outDir, dir, scores, failures, options);
  } finally {
    bar.stop();
    await models.close();
    await pool.close();
  }
}

function compareCommand(): Command {
  return new Command("compare")
    .description("put benchmark runs side by side: mean, median and per-scene wins of every metric")
    .argument("<runs...>", "output folders of `seig bench run`")
    .addOption(new Option("--csv", "print CSV instead of Markdown"))
    .addOption(new Option("-o, --out <file>", "also write the table to this file"))
    .action(async (dirs: string[], options: { csv?: boolean; out?: string }) => {
      if (dirs.length < 2) throw new InputError("give at least two run folders to compare");
      const runs = await Promise.all(dirs.map(readRun));
      const comparisons = compareRuns(runs);
      const text = options.csv ? comparisonCsv(runs, comparisons) : comparisonMarkdown(runs, comparisons);
      process.stdout.write(text);
      if (options.out) await writeFile(options.out, text);
    });
}

function summaryCommand(): Command {
  return new Command("summary")
    .description("one row per benchmark run (e.g. one per suite): the mean of every metric")
    .argument("<runs...>", "output folders of `seig bench run` (unfinished ones: the scenes done so far)")
    .addOption(new Option("--note <text>", "a line printed under the table (e.g. the wall time)"))
    .addOption(
      new Option(
        "--doc <file>",
        "also write the table between the bench-summary markers of this Markdown file",
      ),
    )
    .addHelpText(
      "after",
      "\nThe markers are the lines <!-- bench-summary:start --> and <!-- bench-summary:end -->;\neverything between them is replaced, the rest of the file is kept.",
    )
    .action(async (dirs: string[], options: { note?: string; doc?: string }) => {
      const runs = await Promise.all(dirs.map(readRunOrScores));
      const text = `${summaryMarkdown(runs)}${options.note ? `\n${options.note}\n` : ""}`;
      process.stdout.write(text);
      if (options.doc) await writeSummaryInto(options.doc, text);
    });
}

export function registerBench(cli: Command): void {
  cli.addCommand(
    new Command("bench")
      .description(
        "benchmark: generate ground-truth suites, run a method on them, compare and summarise runs",
      )
      .addCommand(generateCommand())
      .addCommand(runCommand())
      .addCommand(compareCommand())
      .addCommand(summaryCommand()),
  );
}
