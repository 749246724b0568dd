/** The list of commands. Add one import and one call per command file. */
import type { Command } from "commander";
import { registerEval } from "./eval.ts";
import { registerRender } from "./render.ts";

export function registerCommands(cli: Command): void {
  registerRender(cli);
  registerEval(cli);
}
