/** `seig relight`: new lighting for a scene program; the fingerprint check proves nothing else changed. */
import path from "node:path";
import { Command, Option } from "commander";
import { hexToLinear } from "../apps/color.ts";
import { type Lighting, relightProgram, SkyPreset } from "../apps/relight.ts";
import { renderViews } from "../apps/render-views.ts";
import { assertOnlyFactorChanged } from "../apps/scope-check.ts";
import { InputError } from "../errors.ts";
import {
  addRuntimeOptions,
  intOption,
  numberOption,
  parseResolution,
  type Resolution,
  type RuntimeOptions,
} from "./options.ts";
import { editedPath, writeProgram } from "./program-output.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

interface RelightOptions extends RuntimeOptions {
  sunElevation?: number;
  sunAzimuth?: number;
  sunStrength?: number;
  sunColor?: [number, number, number];
  sky?: SkyPreset;
  out?: string;
  res: Resolution;
  samples: number;
  render: boolean;
}

function skyOption(text: string): SkyPreset {
  const parsed = SkyPreset.safeParse(text);
  if (!parsed.success)
    throw new InputError(`--sky must be one of ${SkyPreset.options.join(", ")}, got "${text}"`);
  return parsed.data;
}

export function registerRelight(cli: Command): void {
  const command = new Command("relight")
    .description("write a relit copy of a scene program (only its lighting changes) and render it")
    .argument("<program>", "program.py or a run folder")
    .addOption(
      new Option("--sun-elevation <deg>", "sun elevation above the horizon").argParser(
        numberOption("--sun-elevation"),
      ),
    )
    .addOption(
      new Option("--sun-azimuth <deg>", "sun azimuth, from +X towards +Y").argParser(
        numberOption("--sun-azimuth"),
      ),
    )
    .addOption(
      new Option("--sun-strength <x>", "sun strength (W/m²)").argParser(numberOption("--sun-strength")),
    )
    .addOption(new Option("--sun-color <hex>", "sun colour, e.g. #ffd2a0").argParser(hexToLinear))
    .addOption(
      new Option("--sky <preset>", `sky preset: ${SkyPreset.options.join(", ")}`).argParser(skyOption),
    )
    .option("-o, --out <file>", "relit program (default: <program>.relit.py)")
    .addOption(
      new Option("--res <WxH>", "render resolution")
        .argParser(parseResolution)
        .default(parseResolution("512x384"), "512x384"),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples").argParser(intOption("--samples", 1, 4096)).default(16),
    )
    .option("--no-render", "write the program without rendering it")
    .action(async (target: string, options: RelightOptions) => {
      const { file, source } = await readProgramArgument(target);
      const overrides: Partial<Lighting> = {};
      if (options.sunElevation !== undefined) overrides["sun.elevation_deg"] = options.sunElevation;
      if (options.sunAzimuth !== undefined) overrides["sun.azimuth_deg"] = options.sunAzimuth;
      if (options.sunStrength !== undefined) overrides["sun.strength"] = options.sunStrength;
      if (options.sunColor) overrides["sun.color"] = options.sunColor;
      const relit = relightProgram(source, { sky: options.sky, overrides });
      const out = editedPath(file, "relit", options.out);
      const pool = await startPool(options);
      try {
        await assertOnlyFactorChanged(pool, source, relit, "lighting");
        await writeProgram(out, relit);
        if (options.render) {
          const outDir = path.join(path.dirname(out), `${path.parse(out).name}-render`);
          const { images } = await renderViews(pool, {
            source: relit,
            outDir,
            ...options.res,
            samples: options.samples,
          });
          for (const image of images) console.log(image.path);
        }
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
