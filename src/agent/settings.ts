/** The agent's settings: everything a run (and its resume) is defined by, validated at the boundary. */
import { z } from "zod";
import { STAGE_DEFINITIONS, STAGES } from "../stages/index.ts";
import { MaxTokens } from "./token-budgets.ts";

const StageName = z.enum(STAGES);
const defaultRounds = Object.fromEntries(STAGES.map((s) => [s, STAGE_DEFINITIONS[s].roundBudget])) as Record<
  (typeof STAGES)[number],
  number
>;

/** Longer side of the agent's working renders: a VLM needs ~256–512 px to judge shapes and colours. */
export const AGENT_WORKING_SIDE = 256;

export const AgentSettings = z.object({
  image: z.string().min(1),
  /** Generator model spec (`anthropic:<id>`, `replay:<trace.jsonl>`, ...). */
  model: z.string().min(1),
  /** Verifier model spec; the generator's when null. */
  verifierModel: z.string().min(1).nullable().default(null),
  scaffolds: z.number().int().min(1).max(16).default(4),
  stages: z
    .array(StageName)
    .min(1)
    .default([...STAGES]),
  rounds: z.record(StageName, z.number().int().min(0).max(50)).default(defaultRounds),
  repairLimit: z.number().int().min(0).max(10).default(3),
  reaskLimit: z.number().int().min(0).max(10).default(2),
  /** Longer side of the renders models see and metrics are computed on during the run. */
  workingSide: z.number().int().min(16).max(2048).default(AGENT_WORKING_SIDE),
  samples: z.number().int().min(1).max(4096).default(16),
  finalSide: z.number().int().min(16).max(8192).default(512),
  finalSamples: z.number().int().min(1).max(4096).default(32),
  seed: z.number().int().min(0).default(0),
  /** After each stage, tune the stage's PARAMS with the offline search. */
  tune: z.boolean().default(false),
  tuneRenders: z.number().int().min(1).default(40),
  /** The VLM-only baseline: one call writes the whole program. */
  oneShot: z.boolean().default(false),
  semanticMetrics: z.boolean().default(false),
  /** Price table override file (see docs/models.md). */
  prices: z.string().nullable().default(null),
  /** Output-token budget of each call role (`--max-tokens role=n`). */
  maxTokens: MaxTokens,
  /** Stop before a call that could take the estimated spend over this many USD (`--max-cost`). */
  maxCost: z.number().positive().nullable().default(null),
});
export type AgentSettings = z.infer<typeof AgentSettings>;
export type AgentSettingsInput = z.input<typeof AgentSettings>;

export function roundsFor(settings: AgentSettings, stage: (typeof STAGES)[number]): number {
  return settings.rounds[stage] ?? STAGE_DEFINITIONS[stage].roundBudget;
}
