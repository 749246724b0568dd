/**
 * run.json of an agent run: what it was, what it spent and where it stands. Written when a run
 * ends however it ends — done, stopped by --max-cost, interrupted or failed — so its cost is never
 * lost, and an unfinished run says how to continue it.
 */
import path from "node:path";
import { writeRunJson } from "../run/files.ts";
import type { RunFolder } from "../run/folder.ts";
import { versions } from "../run/version.ts";
import type { AgentContext } from "./context.ts";
import type { AgentState } from "./state.ts";

export type RunStatus = "done" | "interrupted" | "failed";

/** The command that continues a run that stopped early. */
export function resumeCommand(dir: string): string {
  return `seig reconstruct --resume ${dir}`;
}

export function methodName(state: AgentState): string {
  const s = state.settings;
  return s.oneShot ? "vlm-one-shot" : s.tune ? "vlm-staged+tune" : "vlm-staged";
}

export interface RunEnd {
  status: RunStatus;
  /** One line: why the run stopped early (failed, interrupted, or the --max-cost budget). */
  reason?: string;
  /** Extra fields of a finished run (target, stages, scaffolds, ...). */
  extra?: Record<string, unknown>;
}

export async function writeRunRecord(
  folder: RunFolder,
  ctx: Pick<AgentContext, "generator" | "verifier" | "blenderVersion" | "pool">,
  state: AgentState,
  end: RunEnd,
): Promise<void> {
  const unfinished = end.status !== "done" || end.reason !== undefined;
  await writeRunJson(folder.run, {
    status: end.status,
    ...(end.reason !== undefined && { reason: end.reason }),
    ...(unfinished && { resume: resumeCommand(folder.dir) }),
    method: methodName(state),
    model: ctx.generator.model,
    verifierModel: ctx.verifier.model,
    image: path.resolve(state.settings.image),
    settings: state.settings,
    versions: versions(ctx.blenderVersion),
    ...end.extra,
    usage: state.usage,
    renders: state.renders,
    seconds: state.seconds,
    sandboxed: ctx.pool.sandboxed,
  });
}
