/** `seig set`: structured PARAMS edits without a model (move, scale, recolour, roughness, …). */
import { Command } from "commander";
import { applyAssignments, parseAssignment } from "../apps/set-params.ts";
import { editedPath, writeProgram } from "./program-output.ts";
import { readProgramArgument } from "./runtime.ts";

export function registerSet(cli: Command): void {
  cli.addCommand(
    new Command("set")
      .description("set PARAMS values: seig set program.py mug.color=#ff0000 mug.location=0,0,0.5")
      .argument("<program>", "program.py or a run folder")
      .argument("<assignments...>", "key=value pairs; colours as #rrggbb, vectors as 1,0,0")
      .option("-o, --out <file>", "edited program (default: <program>.edited.py)")
      .option("--in-place", "overwrite the program")
      .action(async (target: string, assignments: string[], options: { out?: string; inPlace?: boolean }) => {
        const { file, source } = await readProgramArgument(target);
        const edited = applyAssignments(source, assignments.map(parseAssignment));
        await writeProgram(options.inPlace ? file : editedPath(file, "edited", options.out), edited);
      }),
  );
}
