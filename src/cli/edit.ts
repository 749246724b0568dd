/** `seig edit <program|run-dir> "<instruction>" --model <m>`: edit a scene program by instruction through a VLM. */
import path from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { editProgram } from "../apps/edit.ts";
import { EDIT_TRACE_FILE } from "../apps/edit-outputs.ts";
import { InputError } from "../errors.ts";
import { resolutionFor } from "../program/resolution.ts";
import { parseModelSpec } from "../vlm/model-spec.ts";
import { addRuntimeOptions, intOption, parseOptions, parseResolution } from "./options.ts";
import { editedPath } from "./program-output.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

const EditOptions = z.object({
  model: z.string().trim().min(1),
  verifierModel: z.string().trim().min(1).optional(),
  out: z.string().min(1).optional(),
  res: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
  samples: z.number().int(),
  seed: z.number().int(),
  attempts: z.number().int(),
  repairLimit: z.number().int(),
  prices: z.string().optional(),
  concurrency: z.number().int().optional(),
  unsafeNoSandbox: z.boolean().optional(),
  quiet: z.boolean().default(false),
});

export function registerEdit(cli: Command): void {
  const command = new Command("edit")
    .description(
      "edit a scene program by instruction through a VLM: it picks the stage, rewrites only that section, and the result is kept only if the verifier sees the instruction carried out",
    )
    .argument("<program>", "program.py or a run folder")
    .argument("<instruction>", 'what to change, e.g. "make the red box blue"')
    .requiredOption(
      "--model <model>",
      "generator model: anthropic:<id>, openai:<id>, google:<id>, ollama:<id>, openai-compatible:<url>#<id>, replay:<edit-trace.jsonl>",
    )
    .option("--verifier-model <model>", "verifier model (default: the --model generator)")
    .option("-o, --out <file>", "edited program (default: <program>.edited.py; never the input)")
    .addOption(
      new Option(
        "--res <WxH>",
        "size of the before/after renders the models see (default: the program's render.resolution)",
      ).argParser(parseResolution),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples").argParser(intOption("--samples", 1, 4096)).default(16),
    )
    .addOption(
      new Option("--seed <n>", "render seed").argParser(intOption("--seed", 0, 2 ** 31 - 1)).default(0),
    )
    .addOption(
      new Option("--attempts <n>", "candidates the verifier may turn down before giving up")
        .argParser(intOption("--attempts", 1, 10))
        .default(3),
    )
    .addOption(
      new Option("--repair-limit <n>", "repair calls per candidate after an error or an out-of-scope change")
        .argParser(intOption("--repair-limit", 0, 10))
        .default(3),
    )
    .option("--prices <file>", "price table override (JSON, USD per million tokens; see docs/models.md)")
    .option("--quiet", "no progress on stderr")
    .addHelpText(
      "after",
      `\nWrites <out>, <out-name>.before.png, .after.png and .comparison.png (before left, after right), and the model calls as ${EDIT_TRACE_FILE} in the output folder (replay with --model replay:<dir>/${EDIT_TRACE_FILE}).\nIf the verifier never sees the instruction carried out, nothing is written and the exit code is 1.\n\nExample:\n  seig edit runs/photo "make the red box blue" --model anthropic:claude-sonnet-4-5\n`,
    )
    .action(editAction);
  cli.addCommand(addRuntimeOptions(command));
}

/** `seig edit <program> <instruction>`: checks the options and paths, then edits on a one-worker pool. */
async function editAction(
  target: string,
  instruction: string,
  raw: unknown,
  command: Command,
): Promise<void> {
  const o = parseOptions(EditOptions, raw, command);
  if (o.model === "offline")
    throw new InputError(
      "seig edit needs a model (--model anthropic:<id>, ...); edit PARAMS without one with seig set",
    );
  // Parse both specs now so a typo stops before Blender starts.
  parseModelSpec(o.model);
  if (o.verifierModel) parseModelSpec(o.verifierModel);
  const { file, source } = await readProgramArgument(target);
  const out = path.resolve(editedPath(file, "edited", o.out));
  if (out === path.resolve(file))
    throw new InputError(
      `-o ${o.out} is the input program: seig edit never overwrites its input; choose another file`,
    );
  const progress = o.quiet
    ? undefined
    : (event: { type: string; text?: string }) => {
        if (event.type === "note") process.stderr.write(`seig edit: ${event.text}\n`);
      };
  const pool = await startPool({ ...o, concurrency: o.concurrency ?? 1 });
  try {
    const result = await editProgram(
      source,
      out,
      {
        instruction,
        model: o.model,
        verifierModel: o.verifierModel ?? null,
        ...resolutionFor(source, o.res),
        samples: o.samples,
        seed: o.seed,
        attempts: o.attempts,
        repairLimit: o.repairLimit,
        prices: o.prices ?? null,
      },
      { pool, progress },
    );
    console.log(result.outputs.program);
    console.log(result.outputs.comparison);
  } finally {
    await pool.close();
  }
}
