/** `seig views`: orbit views of a scene program, and a turntable GIF/MP4 when ffmpeg is present. */
import path from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { renderViews } from "../apps/render-views.ts";
import { encodeTurntable, ffmpegAvailable, type TurntableFormat } from "../apps/turntable.ts";
import { resolutionFor } from "../program/resolution.ts";
import {
  addRuntimeOptions,
  intOption,
  numericOption,
  parseResolution,
  type Resolution,
  type RuntimeOptions,
} from "./options.ts";
import { claimOutputs, ownOutputs } from "./overwrite.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

/** What `seig views` writes into its folder. */
const VIEW_FILES = /^(orbit_\d+\.png|turntable\.(gif|mp4))$/;

interface ViewsOptions extends RuntimeOptions {
  orbit: number;
  elevation?: number;
  res?: Resolution;
  samples: number;
  out?: string;
  gif?: boolean;
  mp4?: boolean;
  force?: boolean;
}

export function registerViews(cli: Command): void {
  const command = new Command("views")
    .description(
      "render N views on an orbit around the scene (same distance and field of view as its camera)",
    )
    .argument("<program>", "program.py or a run folder")
    .addOption(
      new Option("--orbit <n>", "number of views").argParser(intOption("--orbit", 1, 360)).default(8),
    )
    .addOption(
      new Option("--elevation <deg>", "orbit elevation, -90 to 90 (default: the camera's)").argParser(
        numericOption("--elevation", z.number().min(-90).max(90)),
      ),
    )
    .addOption(
      new Option(
        "--res <WxH>",
        "resolution (default: the program's render.resolution, the photo's)",
      ).argParser(parseResolution),
    )
    .addOption(
      new Option("--samples <n>", "Cycles samples").argParser(intOption("--samples", 1, 4096)).default(16),
    )
    .option("-o, --out <dir>", "output folder (default: <run-dir>/views or ./views)")
    .option("--gif", "also write turntable.gif (needs ffmpeg)")
    .option("--mp4", "also write turntable.mp4 (needs ffmpeg)")
    .option("--force", "replace the views an earlier run left in the output folder")
    .action(async (target: string, options: ViewsOptions) => {
      const { file, source } = await readProgramArgument(target);
      const outDir = options.out ?? path.join(path.dirname(file), "views");
      const res = resolutionFor(source, options.res);
      const earlier = await ownOutputs(outDir, VIEW_FILES);
      await claimOutputs(`${outDir} already holds views`, earlier, Boolean(options.force));
      const pool = await startPool(options);
      try {
        process.stderr.write(`rendering ${options.orbit} orbit views at ${res.width}×${res.height}…\n`);
        const { images } = await renderViews(pool, {
          source,
          outDir,
          ...res,
          samples: options.samples,
          orbit: options.orbit,
          elevationDeg: options.elevation,
          orbitOnly: true,
        });
        for (const image of images) console.log(image.path);
        await writeTurntables(outDir, options);
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}

async function writeTurntables(outDir: string, options: ViewsOptions): Promise<void> {
  const formats = (["gif", "mp4"] as TurntableFormat[]).filter((f) => options[f]);
  if (!formats.length) return;
  if (!(await ffmpegAvailable())) {
    process.stderr.write(
      "seig: ffmpeg is not installed, so no turntable was written (PNG frames only); apt-get install -y ffmpeg\n",
    );
    return;
  }
  for (const format of formats)
    console.log(await encodeTurntable(outDir, "orbit_", format, path.join(outDir, `turntable.${format}`)));
}
