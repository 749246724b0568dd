/** `seig render <program>`: render a scene program (and optional orbit views) into a folder. */
import { Command, Option } from "commander";
import { loadProgram } from "../api/program-ref.ts";
import { render } from "../api/scene.ts";
import {
  addRuntimeOptions,
  intOption,
  parseResolution,
  type Resolution,
  type RuntimeOptions,
} from "./options.ts";
import { startPool } from "./runtime.ts";

interface RenderOptions extends RuntimeOptions {
  out: string;
  res?: Resolution;
  samples: number;
  seed: number;
  views: number;
}

export function registerRender(cli: Command): void {
  const command = new Command("render")
    .description("render a scene program (or a run folder's program.py) with Blender")
    .argument("<program>", "program.py or a run folder")
    .addOption(new Option("-o, --out <dir>", "output folder").default("render"))
    .addOption(
      new Option(
        "--res <WxH>",
        "resolution (default: the program's render.resolution, the photo's)",
      ).argParser(parseResolution),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples").argParser(intOption("--samples", 1, 4096)).default(16),
    )
    .addOption(
      new Option("--seed <n>", "Cycles seed").argParser(intOption("--seed", 0, 2 ** 31 - 1)).default(0),
    )
    .addOption(
      new Option("--views <n>", "extra orbit views around the scene")
        .argParser(intOption("--views", 0, 360))
        .default(0),
    )
    .action(async (target: string, options: RenderOptions) => {
      // Checked before Blender starts, so a bad program fails fast with exit 2.
      const { source } = await loadProgram({ path: target });
      const pool = await startPool(options);
      try {
        const { images, renderSeconds } = await render(
          { source },
          {
            pool,
            outDir: options.out,
            ...options.res,
            samples: options.samples,
            seed: options.seed,
            views: options.views,
          },
        );
        for (const image of images) console.log(image.path);
        console.error(
          `rendered ${images.length} view(s) in ${renderSeconds.toFixed(2)} s (Blender ${pool.blenderVersion})`,
        );
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
