/** `seig export`: a scene program to .blend and glTF binary. */
import { Command, Option } from "commander";
import { exportProgram } from "../apps/export.ts";
import { InputError } from "../errors.ts";
import { addRuntimeOptions, parseResolution, type Resolution, type RuntimeOptions } from "./options.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

interface ExportOptions extends RuntimeOptions {
  blend?: string;
  glb?: string;
  res?: Resolution;
}

export function registerExport(cli: Command): void {
  const command = new Command("export")
    .description("save a scene program as a .blend file and/or glTF binary (.glb), framed as the photo")
    .argument("<program>", "program.py or a run folder")
    .option("--blend <file>", "write a .blend (Cycles, at the program's resolution)")
    .option("--glb <file>", "write a .glb (objects, materials, camera, lights)")
    .addOption(
      new Option(
        "--res <WxH>",
        "frame to save: sets the camera's aspect and field of view (default: the program's render.resolution, the photo's)",
      ).argParser(parseResolution),
    )
    .action(async (target: string, options: ExportOptions) => {
      if (!options.blend && !options.glb)
        throw new InputError("say what to write: --blend out.blend and/or --glb out.glb");
      const { source } = await readProgramArgument(target);
      const pool = await startPool(options);
      try {
        const request = { source, blend: options.blend, glb: options.glb, resolution: options.res };
        for (const file of await exportProgram(pool, request)) console.log(file);
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
