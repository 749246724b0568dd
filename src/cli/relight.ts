/** `seig relight`: new lighting for a scene program; the fingerprint check proves nothing else changed. */
import path from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { hexToLinear } from "../apps/color.ts";
import { type Lighting, relightProgram, SkyPreset } from "../apps/relight.ts";
import { renderViews } from "../apps/render-views.ts";
import { assertOnlyFactorChanged } from "../apps/scope-check.ts";
import { InputError } from "../errors.ts";
import { parseInput } from "../input-message.ts";
import { paramSchema } from "../program/param-ranges.ts";
import { resolutionFor } from "../program/resolution.ts";
import {
  addRuntimeOptions,
  intOption,
  numericOption,
  parseResolution,
  type Resolution,
  type RuntimeOptions,
} from "./options.ts";
import { claimOutputs } from "./overwrite.ts";
import { editedPath, writeProgram } from "./program-output.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

interface RelightOptions extends RuntimeOptions {
  sunElevation?: number;
  sunAzimuth?: number;
  sunStrength?: number;
  sunColor?: [number, number, number];
  sky?: SkyPreset;
  out?: string;
  res?: Resolution;
  samples: number;
  render: boolean;
  force?: boolean;
}

/** The option's parser with the range of the PARAMS key it sets, so both refuse the same values. */
function lightingOption(flag: string, key: keyof Lighting): (text: string) => number {
  return numericOption(flag, (paramSchema(key) as z.ZodNumber | null) ?? z.number());
}

function lightingOverrides(options: RelightOptions): Partial<Lighting> {
  const overrides: Partial<Lighting> = {};
  if (options.sunElevation !== undefined) overrides["sun.elevation_deg"] = options.sunElevation;
  if (options.sunAzimuth !== undefined) overrides["sun.azimuth_deg"] = options.sunAzimuth;
  if (options.sunStrength !== undefined) overrides["sun.strength"] = options.sunStrength;
  if (options.sunColor) overrides["sun.color"] = options.sunColor;
  return overrides;
}

/** The relit program's path and the folder of its render: both are refused or replaced together. */
function outputsOf(out: string): { program: string; renderDir: string; render: string } {
  const renderDir = path.join(path.dirname(out), `${path.parse(out).name}-render`);
  return { program: out, renderDir, render: path.join(renderDir, "render.png") };
}

export function registerRelight(cli: Command): void {
  const command = new Command("relight")
    .description("write a relit copy of a scene program (only its lighting changes) and render it")
    .argument("<program>", "program.py or a run folder")
    .addOption(
      new Option("--sun-elevation <deg>", "sun elevation above the horizon, -90 to 90").argParser(
        lightingOption("--sun-elevation", "sun.elevation_deg"),
      ),
    )
    .addOption(
      new Option("--sun-azimuth <deg>", "sun azimuth, from +X towards +Y").argParser(
        lightingOption("--sun-azimuth", "sun.azimuth_deg"),
      ),
    )
    .addOption(
      new Option("--sun-strength <x>", "sun strength (W/m², ≥ 0)").argParser(
        lightingOption("--sun-strength", "sun.strength"),
      ),
    )
    .addOption(new Option("--sun-color <hex>", "sun colour, e.g. #ffd2a0").argParser(hexToLinear))
    .addOption(
      new Option("--sky <preset>", `sky preset: ${SkyPreset.options.join(", ")}`).argParser((text) =>
        parseInput(SkyPreset, text, "--sky"),
      ),
    )
    .option("-o, --out <file>", "relit program (default: <program>.relit.py); its folder is created")
    .addOption(
      new Option(
        "--res <WxH>",
        "render resolution (default: the program's render.resolution, the photo's)",
      ).argParser(parseResolution),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples").argParser(intOption("--samples", 1, 4096)).default(16),
    )
    .option("--no-render", "write the program without rendering it")
    .option("--force", "replace an earlier relit program and its render")
    .action(async (target: string, options: RelightOptions) => {
      const { file, source } = await readProgramArgument(target);
      const relit = relightProgram(source, { sky: options.sky, overrides: lightingOverrides(options) });
      const out = outputsOf(editedPath(file, "relit", options.out));
      if (path.resolve(out.program) === path.resolve(file))
        throw new InputError(`-o ${options.out} is the input program: choose another file`);
      await claimOutputs(`${out.program} already exists`, [out.program, out.render], Boolean(options.force));
      const pool = await startPool(options);
      try {
        await assertOnlyFactorChanged(pool, source, relit, "lighting");
        await writeProgram(out.program, relit);
        if (!options.render) return;
        const { images } = await renderViews(pool, {
          source: relit,
          outDir: out.renderDir,
          ...resolutionFor(relit, options.res),
          samples: options.samples,
        });
        for (const image of images) console.log(image.path);
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
