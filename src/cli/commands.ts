/** The list of commands. Add one import and one call per command file. */
import type { Command } from "commander";
import { registerBench } from "./bench.ts";
import { registerDoctor } from "./doctor.ts";
import { registerEdit } from "./edit.ts";
import { registerEval } from "./eval.ts";
import { registerExport } from "./export.ts";
import { registerParams } from "./params.ts";
import { registerQueue } from "./queue.ts";
import { registerReconstruct } from "./reconstruct.ts";
import { registerRelight } from "./relight.ts";
import { registerRender } from "./render.ts";
import { registerServe } from "./serve.ts";
import { registerSet } from "./set.ts";
import { registerViews } from "./views.ts";
import { registerWorker } from "./worker.ts";

export function registerCommands(cli: Command): void {
  registerRender(cli);
  registerDoctor(cli);
  registerViews(cli);
  registerRelight(cli);
  registerSet(cli);
  registerParams(cli);
  registerExport(cli);
  registerEval(cli);
  registerBench(cli);
  registerReconstruct(cli);
  registerEdit(cli);
  registerWorker(cli);
  registerQueue(cli);
  registerServe(cli);
}
