/** `seig export`: a scene program to .blend and glTF binary. */
import { Command } from "commander";
import { exportProgram } from "../apps/export.ts";
import { InputError } from "../errors.ts";
import { addRuntimeOptions, type RuntimeOptions } from "./options.ts";
import { readProgramArgument, startPool } from "./runtime.ts";

export function registerExport(cli: Command): void {
  const command = new Command("export")
    .description("save a scene program as a .blend file and/or glTF binary (.glb)")
    .argument("<program>", "program.py or a run folder")
    .option("--blend <file>", "write a .blend")
    .option("--glb <file>", "write a .glb (objects, materials, camera, lights)")
    .action(async (target: string, options: RuntimeOptions & { blend?: string; glb?: string }) => {
      if (!options.blend && !options.glb)
        throw new InputError("say what to write: --blend out.blend and/or --glb out.glb");
      const { source } = await readProgramArgument(target);
      const pool = await startPool(options);
      try {
        for (const file of await exportProgram(pool, { source, blend: options.blend, glb: options.glb }))
          console.log(file);
      } finally {
        await pool.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
