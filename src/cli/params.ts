/** `seig params`: list a program's PARAMS with their values and the stage that owns each. */
import { Command } from "commander";
import { paramOwners } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import { readProgramArgument } from "./runtime.ts";

export function registerParams(cli: Command): void {
  cli.addCommand(
    new Command("params")
      .description("list a program's PARAMS keys, values and owning stages")
      .argument("<program>", "program.py or a run folder")
      .option("--json", "print one JSON object")
      .action(async (target: string, options: { json?: boolean }) => {
        const program = parseProgram((await readProgramArgument(target)).source);
        const owners = paramOwners(program);
        const rows = Object.entries(program.params).map(([key, value]) => ({
          key,
          value,
          owners: owners[key] ?? [],
        }));
        if (options.json) return console.log(JSON.stringify(rows, null, 2));
        const width = Math.max(...rows.map((r) => r.key.length));
        for (const r of rows)
          console.log(
            `${r.key.padEnd(width)}  ${(r.owners.join(",") || "unused").padEnd(12)}  ${JSON.stringify(r.value)}`,
          );
      }),
  );
}
