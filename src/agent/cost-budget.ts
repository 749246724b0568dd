/**
 * `--max-cost`: a model client that refuses a call which could take the run's estimated spend over
 * the budget (what was spent, plus this call's estimated input and its whole output budget). The
 * run then stops gracefully with the best program so far (run-agent.ts).
 */
import { InputError, SeigError } from "../errors.ts";
import type { VlmClient } from "../vlm/client.ts";
import { estimateCost, type PriceTable, priceFor } from "../vlm/cost.ts";
import { estimateInputTokens } from "../vlm/estimate.ts";

/** The next call could exceed --max-cost; nothing was sent. */
export class BudgetExhausted extends SeigError {}

export function withCostBudget(
  client: VlmClient,
  maxCost: number,
  prices: PriceTable,
  spent: () => number | null,
): VlmClient {
  if (client.model.startsWith("replay:")) return client;
  if (!priceFor(client.model, prices)) {
    throw new InputError(
      `--max-cost needs the price of ${client.model}, which is not in the price table: give it with --prices <file>`,
    );
  }
  return {
    model: client.model,
    async complete(request) {
      const usage = {
        inputTokens: estimateInputTokens(request.system, request.parts),
        outputTokens: request.maxOutputTokens ?? 4000,
      };
      const next = estimateCost(client.model, usage, prices) ?? 0;
      const sofar = spent() ?? 0;
      if (sofar + next > maxCost) {
        throw new BudgetExhausted(
          `the --max-cost budget of $${maxCost.toFixed(2)} is reached ($${sofar.toFixed(4)} spent; the next call, ${request.purpose}, could cost up to $${next.toFixed(4)})`,
        );
      }
      return client.complete(request);
    },
  };
}
