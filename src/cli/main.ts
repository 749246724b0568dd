/**
 * The `seig` command line. Each command lives in its own file and registers itself here;
 * this file only wires them up and turns errors into one line and an exit code.
 */
import { Command, CommanderError } from "commander";
import { isSeigError, oneLine } from "../errors.ts";
import { registerCommands } from "./commands.ts";

export async function main(argv: string[]): Promise<number> {
  const cli = new Command("seig")
    .description("Single photo in, editable Blender scene program out (SEIG).")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerCommands(cli);
  try {
    await cli.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    return reportFailure(e);
  }
}

function reportFailure(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (isSeigError(e)) {
    process.stderr.write(`seig: ${oneLine(e)}\n`);
    return e.exitCode;
  }
  process.stderr.write(`seig: unexpected failure: ${oneLine(e)}\n`);
  if (process.env["SEIG_DEBUG"]) console.error(e);
  return 1;
}
