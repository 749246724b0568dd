/**
 * What a model call cost, from a price table in USD per million tokens. The built-in table is a
 * snapshot of published list prices and WILL go stale: edit it here, or override entries with a JSON
 * file (`--prices <file>` or env SEIG_PRICES) of the same shape. A model missing from the table costs
 * `null` (unknown), never a guess.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { inputProblem } from "../input-message.ts";
import type { Env } from "./providers.ts";

const priceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
});
export type Price = z.infer<typeof priceSchema>;

/**
 * Keys are model labels `<provider>:<model id>` (see modelLabel), or `<provider>:*` for every model of
 * a provider (an exact entry wins).
 */
export const priceTableSchema = z.record(z.string().regex(/^[a-z-]+:.+$/), priceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

export type Usage = { inputTokens: number; outputTokens: number };
/** Usage as a provider reported it: null where it did not say (shown as "unknown", never as 0). */
export type ReportedUsage = { inputTokens: number | null; outputTokens: number | null };

export function usageKnown(u: ReportedUsage): u is Usage {
  return u.inputTokens !== null && u.outputTokens !== null;
}

/** "1834+412 tokens", or "unknown tokens" when the provider did not report them. */
export function tokensText(u: ReportedUsage): string {
  return usageKnown(u) ? `${u.inputTokens}+${u.outputTokens} tokens` : "unknown tokens";
}

/** List prices as published by the providers (standard tier, short prompts), checked 2026-06. Editable. */
export const DEFAULT_PRICES: PriceTable = {
  "anthropic:claude-opus-4-7": { inputPerMTok: 5, outputPerMTok: 25 },
  "anthropic:claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "anthropic:claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
  "anthropic:claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
  "anthropic:claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "openai:gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "openai:gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
  "openai:gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "openai:gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "openai:gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "openai:gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "google:gemini-2.5-pro": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "google:gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
  // Ollama runs on your own machine: no per-token bill.
  "ollama:*": { inputPerMTok: 0, outputPerMTok: 0 },
};

export function priceFor(label: string, table: PriceTable = DEFAULT_PRICES): Price | null {
  const exact = table[label];
  if (exact) return exact;
  const colon = label.indexOf(":");
  return colon > 0 ? (table[`${label.slice(0, colon)}:*`] ?? null) : null;
}

export function estimateCost(label: string, usage: Usage, table: PriceTable = DEFAULT_PRICES): number | null {
  const price = priceFor(label, table);
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

/** The built-in table with the override file's entries on top (`path`, else env SEIG_PRICES, else none). */
export function loadPriceTable(path?: string, env: Env = process.env): PriceTable {
  const file = path ?? env["SEIG_PRICES"]?.trim();
  if (!file) return DEFAULT_PRICES;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const why =
      e instanceof SyntaxError ? "not valid JSON" : ((e as NodeJS.ErrnoException).code ?? "unreadable");
    throw new InputError(`price file ${file} is ${why}: give a JSON file like {"openai:gpt-4o": {...}}`);
  }
  const problem = inputProblem(priceTableSchema, raw, (key) =>
    key === undefined ? "it" : `"${String(key)}"`,
  );
  if (problem !== null) {
    throw new InputError(
      `price file ${file} has a bad entry: ${problem}; use {"<provider>:<model>": {"inputPerMTok": 3, "outputPerMTok": 15}}`,
    );
  }
  return { ...DEFAULT_PRICES, ...priceTableSchema.parse(raw) };
}
