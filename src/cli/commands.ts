/** The list of commands. Add one import and one call per command file. */
import type { Command } from "commander";

export function registerCommands(cli: Command): void {
  void cli;
}
