/**
 * The `seig` command line. Each command lives in its own file and registers itself here;
 * this file only wires them up and turns errors into one line and an exit code.
 */
import { Command, CommanderError } from "commander";
import { isSeigError, oneLine } from "../errors.ts";
import { SEIG_VERSION } from "../run/version.ts";
import { registerCommands } from "./commands.ts";

/** The whole command tree, without running anything (the docs test introspects it too). */
export function buildCli(): Command {
  const cli = new Command("seig")
    .description("Single photo in, editable Blender scene program out (SEIG).")
    .version(SEIG_VERSION);
  registerCommands(cli);
  forEachCommand(cli, (command) =>
    // Commands added with addCommand do not inherit these, so every command gets them here:
    // without exitOverride commander calls process.exit(1) itself on a missing option.
    command
      .exitOverride()
      .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "seig: ")) }),
  );
  return cli;
}

export function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    return reportFailure(e);
  }
}

function reportFailure(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here with exit code 0; everything else commander
    // rejects (a missing argument or option, an unknown option) is bad input.
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
