/** Tokens and cost of a run, summed from the model client's events, by purpose and in total. */
import { z } from "zod";
import type { VlmEvent } from "../vlm/client.ts";

const Tally = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Null once any call's price was unknown: a partial sum would understate the cost. */
  costUsd: z.number().nullable(),
});
export type Tally = z.infer<typeof Tally>;

export const UsageTotals = z.object({ total: Tally, byPurpose: z.record(z.string(), Tally) });
export type UsageTotals = z.infer<typeof UsageTotals>;

export function emptyUsage(): UsageTotals {
  return { total: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }, byPurpose: {} };
}

function add(t: Tally, e: Extract<VlmEvent, { type: "response" }>): Tally {
  return {
    calls: t.calls + 1,
    inputTokens: t.inputTokens + e.usage.inputTokens,
    outputTokens: t.outputTokens + e.usage.outputTokens,
    costUsd: t.costUsd === null || e.costUsd === null ? null : t.costUsd + e.costUsd,
  };
}

/** Purposes are grouped by kind ("verify:material" → "verify") so the table stays short. */
export function addResponse(usage: UsageTotals, e: Extract<VlmEvent, { type: "response" }>): UsageTotals {
  const kind = e.purpose.split(":")[0]!;
  const before = usage.byPurpose[kind] ?? { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  return { total: add(usage.total, e), byPurpose: { ...usage.byPurpose, [kind]: add(before, e) } };
}

export function usageLine(t: Tally): string {
  const cost = t.costUsd === null ? "cost unknown" : `$${t.costUsd.toFixed(4)}`;
  return `${t.calls} calls, ${t.inputTokens} in + ${t.outputTokens} out tokens, ${cost}`;
}
