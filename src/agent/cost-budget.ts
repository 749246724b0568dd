/**
 * `--max-cost`: a model client that refuses a call which would likely take the run's spend over the
 * budget: what was spent, plus this call's estimated input and an output as long as the run's
 * replies have been on average (a quarter of the call's output budget before the first reply;
 * assuming every reply fills its budget would stop most runs before their first scaffold). The run
 * then stops gracefully with the best program so far (run-agent.ts).
 */
import { InputError, SeigError } from "../errors.ts";
import type { VlmClient } from "../vlm/client.ts";
import { estimateCost, type PriceTable, priceFor } from "../vlm/cost.ts";
import { estimateInputTokens } from "../vlm/estimate.ts";
import type { Tally } from "./usage.ts";

/** The next call could exceed --max-cost; nothing was sent. */
export class BudgetExhausted extends SeigError {}

export function withCostBudget(
  client: VlmClient,
  maxCost: number,
  prices: PriceTable,
  spent: () => Tally,
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
      const tally = spent();
      const known = tally.calls - tally.unknownUsage;
      const budget = request.maxOutputTokens ?? 4000;
      const usage = {
        inputTokens: estimateInputTokens(request.system, request.parts),
        outputTokens:
          known > 0 ? Math.min(budget, Math.round(tally.outputTokens / known)) : Math.round(budget / 4),
      };
      const next = estimateCost(client.model, usage, prices) ?? 0;
      const sofar = tally.costUsd ?? 0;
      if (sofar + next > maxCost) {
        throw new BudgetExhausted(
          `the --max-cost budget of $${maxCost.toFixed(2)} is reached ($${sofar.toFixed(4)} spent; the next call, ${request.purpose}, would cost about $${next.toFixed(4)})`,
        );
      }
      return client.complete(request);
    },
  };
}
