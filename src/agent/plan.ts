/**
 * `--dry-run`: the calls a run will make at most (round budgets spent, no repairs or re-asks) with
 * their estimated tokens and cost for the chosen model, before anything is rendered or sent. Input
 * tokens come from the real prompt builders with the prompt's example program standing in for the
 * scene, images from their sizes (vlm/estimate.ts); output is bounded by each role's --max-tokens.
 */
import sharp from "sharp";
import { withCanonicalFooter } from "../program/assemble.ts";
import { estimateCost, loadPriceTable } from "../vlm/cost.ts";
import { estimateInputTokens } from "../vlm/estimate.ts";
import type { Part } from "../vlm/message.ts";
import { modelLabel, parseModelSpec } from "../vlm/model-spec.ts";
import type { Env } from "../vlm/providers.ts";
import type { Attempt } from "./execute.ts";
import { scaffoldRequest } from "./program-messages.ts";
import { exampleProgram } from "./prompts/program-format.ts";
import { GENERATOR_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";
import type { AgentSettings } from "./settings.ts";
import { generatorParts } from "./stage-messages.ts";
import type { Role } from "./token-budgets.ts";

export interface PlannedCall {
  role: Role;
  count: number;
  inputTokens: number;
  maxOutputTokens: number;
}

export interface RunPlan {
  model: string;
  calls: PlannedCall[];
  totalCalls: number;
  inputTokens: number;
  maxOutputTokens: number;
  /** Every reply at its full budget; null when the model's price is unknown. */
  maxCostUsd: number | null;
  /** Replies at a quarter of their budget, a rule of thumb for models that do not pad. */
  likelyCostUsd: number | null;
}

const TARGET = "target.png";
const GRAPH = JSON.stringify({ objects: [{ name: "object", description: "an object", primitive: "cube" }] });

export async function planRun(settings: AgentSettings, env?: Env): Promise<RunPlan> {
  const meta = await sharp(settings.image).metadata();
  const scale = (side: number) => Math.min(1, side / Math.max(meta.width!, meta.height!));
  const size = (side: number) => ({
    width: Math.round(meta.width! * scale(side)),
    height: Math.round(meta.height! * scale(side)),
  });
  const sizeOf = (p: string) => (p === TARGET ? size(settings.finalSide) : size(settings.workingSide));
  const tokens = (system: string, parts: readonly Part[]) => estimateInputTokens(system, parts, sizeOf);
  const stage = standInStagePrompt(settings);
  const stageTokens = tokens(GENERATOR_SYSTEM, stage);
  const scaffold = scaffoldRequest(promptTag({ kind: "scaffold", rollout: 1 }), GRAPH, TARGET, "4.2", 0);
  const image = (n: number) =>
    Array.from({ length: n }, () => ({ type: "image" as const, label: "", path: "r" }));
  const calls: PlannedCall[] = [];
  const add = (role: Role, count: number, inputTokens: number) => {
    if (count > 0) calls.push({ role, count, inputTokens, maxOutputTokens: settings.maxTokens[role] });
  };
  if (settings.oneShot) add("one-shot", 1, tokens(scaffold.system, scaffold.parts));
  else {
    const rounds = settings.stages.reduce((n, s) => n + (settings.rounds[s] ?? 0), 0);
    add("scene-graph", 1, 400 + tokens("", [{ type: "image", label: "", path: TARGET }]));
    add("scaffold", settings.scaffolds, tokens(scaffold.system, scaffold.parts));
    add("select-scaffold", settings.scaffolds > 1 ? 1 : 0, 300 + tokens("", image(settings.scaffolds)));
    add("stage", rounds, stageTokens);
    // A verify prompt carries what a stage prompt does plus orbit views; a compare prompt two renders.
    add("verify", settings.stages.length + rounds, stageTokens + tokens("", image(2)));
    add("compare", rounds, 600 + tokens("", [{ type: "image", label: "", path: TARGET }, ...image(2)]));
  }
  return summarise(settings, calls, env);
}

function standInStagePrompt(settings: AgentSettings): Part[] {
  const base: Attempt = {
    source: withCanonicalFooter(exampleProgram()),
    render: "render.png",
    loss: 0,
    psnr: 0,
    fingerprint: { geometry: {}, material: {}, composition: {}, lighting: {} },
    objects: [],
  };
  const stage = settings.stages[0] ?? "geometry";
  return generatorParts(promptTag({ kind: "stage", stage }), {
    stage,
    base,
    comparisonPng: "comparison.png",
    targetPng: TARGET,
    checklist: [],
    feedback: null,
    sceneGraph: JSON.parse(GRAPH),
    blenderVersion: "4.2",
  });
}

function summarise(settings: AgentSettings, calls: PlannedCall[], env?: Env): RunPlan {
  const model = modelLabel(parseModelSpec(settings.model));
  const prices = loadPriceTable(settings.prices ?? undefined, env);
  const inputTokens = calls.reduce((n, c) => n + c.count * c.inputTokens, 0);
  const maxOutputTokens = calls.reduce((n, c) => n + c.count * c.maxOutputTokens, 0);
  const cost = (output: number) => estimateCost(model, { inputTokens, outputTokens: output }, prices);
  return {
    model,
    calls,
    totalCalls: calls.reduce((n, c) => n + c.count, 0),
    inputTokens,
    maxOutputTokens,
    maxCostUsd: cost(maxOutputTokens),
    likelyCostUsd: cost(Math.round(maxOutputTokens / 4)),
  };
}

export function planText(plan: RunPlan): string {
  const usd = (v: number | null) =>
    v === null ? "unknown (price not in the table; see --prices)" : `$${v.toFixed(2)}`;
  const rows = plan.calls.map(
    (c) =>
      `  ${c.role.padEnd(16)} ${String(c.count).padStart(3)} × ~${c.inputTokens} in, ≤ ${c.maxOutputTokens} out`,
  );
  return [
    `dry run: ${plan.model}, at most ${plan.totalCalls} calls (without repairs and re-asks)`,
    ...rows,
    `  total: ~${plan.inputTokens} input tokens, ≤ ${plan.maxOutputTokens} output tokens`,
    `  estimated cost: at most ${usd(plan.maxCostUsd)}, likely about ${usd(plan.likelyCostUsd)}`,
  ].join("\n");
}
