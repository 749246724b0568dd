/**
 * The agent's resumable state, written to `<run>/state.json` after every finished step (scene
 * graph, scaffold choice, each round, each stage). `seig reconstruct --resume <dir>` continues
 * from it: nothing finished is redone, nothing is lost.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { Fingerprint, ObjectStats } from "../blender/protocol.ts";
import { InputError } from "../errors.ts";
import { inputProblem } from "../input-message.ts";
import { STAGES } from "../stages/index.ts";
import { ChecklistItem } from "./checklist.ts";
import { SceneGraph } from "./scene-graph.ts";
import { AgentSettings } from "./settings.ts";
import { UsageTotals } from "./usage.ts";

export const STATE_FILE = "state.json";

export const AttemptSchema = z.object({
  source: z.string(),
  render: z.string(),
  loss: z.number(),
  psnr: z.number(),
  fingerprint: Fingerprint,
  sections: z.partialRecord(z.enum(STAGES), Fingerprint).nullish(),
  objects: z.array(ObjectStats),
});

const Step = z.object({
  call: z.enum(["stage", "repair"]),
  outcome: z.enum(["ok", "invalid", "error", "out-of-scope", "unchanged"]),
  message: z.string(),
});

export const RoundRecord = z.object({
  stage: z.enum(STAGES),
  round: z.number().int(),
  outcome: z.enum(["accepted", "reverted", "rejected"]),
  reason: z.string(),
  steps: z.array(Step),
  /** The candidate's render, when one ran. */
  render: z.string().nullable(),
  psnr: z.number().nullable(),
  /** Unified diff of the stage section against the program the round started from. */
  diff: z.string(),
  /** The verifier's checklist after the round (for the best program so far). */
  checklist: z.array(ChecklistItem),
  approved: z.boolean(),
});
export type RoundRecord = z.infer<typeof RoundRecord>;

export const StageProgress = z.object({
  round: z.number().int(),
  verified: z.boolean(),
  approved: z.boolean(),
  checklist: z.array(ChecklistItem),
  isolate: z.array(z.string()),
  feedback: z.string().nullable(),
});
export type StageProgress = z.infer<typeof StageProgress>;

const ScaffoldRecord = z.object({
  rollout: z.number().int(),
  render: z.string().nullable(),
  loss: z.number().nullable(),
  objects: z.array(z.string()),
  covered: z.number().nullable(),
  steps: z.array(Step),
});

const StageSummary = z.object({
  psnr: z.number(),
  loss: z.number(),
  rounds: z.number().int(),
  approved: z.boolean(),
  /** With --tune: the stage's result before and after the numeric search (which keeps only lower losses). */
  tuned: z
    .object({
      psnrBefore: z.number(),
      psnrAfter: z.number(),
      lossBefore: z.number(),
      lossAfter: z.number(),
      renders: z.number(),
    })
    .nullable(),
  /** Renders the stage made (rounds, verification views, tuning), for cost curves. */
  renders: z.number().int(),
});
export type StageSummary = z.infer<typeof StageSummary>;

export const AgentState = z.object({
  version: z.literal(1),
  settings: AgentSettings,
  sceneGraph: SceneGraph.nullable(),
  scaffolds: z.object({ chosen: z.number().int(), records: z.array(ScaffoldRecord) }).nullable(),
  /** The program every next step starts from: the best so far. */
  best: AttemptSchema.nullable(),
  /** Index into settings.stages of the stage under way (stages.length when all are done). */
  stageIndex: z.number().int(),
  stage: StageProgress.nullable(),
  stages: z.record(z.string(), StageSummary),
  rounds: z.array(RoundRecord),
  coin: z.object({ seed: z.number().int(), draws: z.number().int() }),
  usage: UsageTotals,
  /** The trace's last call number when this state was saved: later calls belong to an unfinished step. */
  traceSeq: z.number().int().default(0),
  renders: z.number().int(),
  seconds: z.number(),
});
export type AgentState = z.infer<typeof AgentState>;

export function statePath(runDir: string): string {
  return path.join(runDir, STATE_FILE);
}

/** Written to a temporary file and renamed, so a kill mid-write leaves the previous state intact. */
export async function saveState(runDir: string, state: AgentState): Promise<void> {
  const file = statePath(runDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function loadState(runDir: string): Promise<AgentState> {
  const file = statePath(runDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(
      `${runDir} has no ${STATE_FILE}: --resume needs the folder of an interrupted VLM run`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not valid JSON: the run folder is damaged; start a new run`);
  }
  const problem = inputProblem(AgentState, json, (key) => String(key ?? "it"));
  if (problem !== null)
    throw new InputError(`${file} is not a seig agent state (${problem}): start a new run`);
  return AgentState.parse(json);
}
