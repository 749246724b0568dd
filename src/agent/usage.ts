/** Tokens and cost of a run, summed from the model client's events, by purpose and in total. */
import { z } from "zod";
import type { ReportedUsage } from "../vlm/cost.ts";
import type { TraceEntry } from "../vlm/trace.ts";

const Tally = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** Calls whose provider reported no usage: their tokens are not in the sums, and are "unknown". */
  unknownUsage: z.number().default(0),
  /** Null once any call's price was unknown: a partial sum would understate the cost. */
  costUsd: z.number().nullable(),
});
export type Tally = z.infer<typeof Tally>;

export const UsageTotals = z.object({ total: Tally, byPurpose: z.record(z.string(), Tally) });
export type UsageTotals = z.infer<typeof UsageTotals>;

/** What one answered call adds: its purpose, the usage the provider reported and its cost. */
export interface CallUsage {
  purpose: string;
  usage: ReportedUsage;
  costUsd: number | null;
}

function emptyTally(): Tally {
  return { calls: 0, inputTokens: 0, outputTokens: 0, unknownUsage: 0, costUsd: 0 };
}

export function emptyUsage(): UsageTotals {
  return { total: emptyTally(), byPurpose: {} };
}

function add(t: Tally, e: CallUsage): Tally {
  const known = e.usage.inputTokens !== null && e.usage.outputTokens !== null;
  return {
    calls: t.calls + 1,
    inputTokens: t.inputTokens + (e.usage.inputTokens ?? 0),
    outputTokens: t.outputTokens + (e.usage.outputTokens ?? 0),
    unknownUsage: t.unknownUsage + (known ? 0 : 1),
    costUsd: t.costUsd === null || e.costUsd === null ? null : t.costUsd + e.costUsd,
  };
}

/** Purposes are grouped by kind ("verify:material" → "verify") so the table stays short. */
export function addResponse(usage: UsageTotals, e: CallUsage): UsageTotals {
  const kind = e.purpose.split(":")[0]!;
  const before = usage.byPurpose[kind] ?? emptyTally();
  return { total: add(usage.total, e), byPurpose: { ...usage.byPurpose, [kind]: add(before, e) } };
}

/**
 * The usage of every call a trace records. The trace is written as each call returns, so it is the
 * one record that a failure or a kill cannot leave behind: run.json and state.json take their totals
 * from it. Replayed calls are free (the replay client prices them at 0).
 */
export function usageFromTrace(entries: readonly TraceEntry[]): UsageTotals {
  return entries.reduce(
    (u, e) => addResponse(u, { purpose: e.purpose, usage: e.response.usage, costUsd: e.costUsd }),
    emptyUsage(),
  );
}

export function usageLine(t: Tally): string {
  const cost = t.costUsd === null ? "cost unknown" : `$${t.costUsd.toFixed(4)}`;
  const unknown =
    t.unknownUsage === 0
      ? ""
      : t.unknownUsage === t.calls
        ? " (token usage unknown)"
        : ` (token usage unknown for ${t.unknownUsage} of them)`;
  return `${t.calls} calls, ${t.inputTokens} in + ${t.outputTokens} out tokens${unknown}, ${cost}`;
}
