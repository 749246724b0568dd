/**
 * The model layer's middleware (AI SDK `wrapLanguageModel`): tracing and cost accounting happen
 * around the provider call rather than in the client, so every way of answering a call (a provider,
 * a replayed trace, a test's mock model) is recorded and priced the same way.
 */
import type { LanguageModelMiddleware } from "ai";
import { answerMetaOf, callMetaOf, replyText, type SdkGenerateResult, withAnswerMeta } from "./call-meta.ts";
import { estimateCost, type PriceTable, type ReportedUsage, usageKnown } from "./cost.ts";
import { promptRequest } from "./prompt-request.ts";
import type { TraceRecorder } from "./trace.ts";

export function reportedUsage(result: SdkGenerateResult): ReportedUsage {
  return {
    inputTokens: result.usage.inputTokens.total ?? null,
    outputTokens: result.usage.outputTokens.total ?? null,
  };
}

/** Prices each answer from its reported usage; `label` is the price-table key, e.g. "openai:gpt-4o". */
export function costMiddleware(label: string, prices: PriceTable): LanguageModelMiddleware {
  return {
    specificationVersion: "v3",
    async wrapGenerate({ doGenerate }) {
      const result = await doGenerate();
      const usage = reportedUsage(result);
      const costUsd = usageKnown(usage) ? estimateCost(label, usage, prices) : null;
      return withAnswerMeta(result, { model: label, costUsd });
    },
  };
}

/**
 * Appends each answered call to the run's trace.jsonl (request as the provider got it, reply,
 * usage, cost). A failed try throws before recording, so retries leave one line per call.
 */
export function traceMiddleware(recorder: TraceRecorder): LanguageModelMiddleware {
  return {
    specificationVersion: "v3",
    async wrapGenerate({ doGenerate, params }) {
      const { seq, purpose } = callMetaOf(params);
      const started = performance.now();
      const result = await doGenerate();
      const { model, costUsd } = answerMetaOf(result.providerMetadata);
      await recorder.record({
        seq,
        purpose,
        model,
        request: promptRequest(params.prompt),
        response: {
          text: replyText(result),
          usage: reportedUsage(result),
          finishReason: result.finishReason.unified,
        },
        costUsd,
        ms: Math.round(performance.now() - started),
      });
      return result;
    },
  };
}
