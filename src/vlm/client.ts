/**
 * The one door to a vision-language model: a request of labelled text and images in, text out, with
 * retries, timeouts, cost and tracing handled the same way for every provider (and for replay).
 */
import { generateText } from "ai";
import { InputError } from "../errors.ts";
import { type CallContext, classifyCallError, giveUpError } from "./call-failure.ts";
import { DEFAULT_PRICES, estimateCost, type PriceTable, type ReportedUsage, usageKnown } from "./cost.ts";
import { type LoadedPart, loadParts, type Part, requestTextHash, toUserMessage } from "./message.ts";
import { type ModelSpec, modelLabel, type ProviderSpec, parseModelSpec } from "./model-spec.ts";
import { createLanguageModel, type Env } from "./providers.ts";
import { ReplayModel } from "./replay.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "./retry.ts";
import type { TraceRecorder } from "./trace.ts";

export type VlmRequest = {
  /** What the call is for, e.g. "scene-graph", "scaffold", "stage:geometry", "verify:material", "compare". */
  purpose: string;
  system: string;
  parts: readonly Part[];
  maxOutputTokens?: number;
  temperature?: number;
};

export type VlmResponse = {
  text: string;
  usage: ReportedUsage;
  /** Null when the price of the model is unknown or the provider did not report usage. */
  costUsd: number | null;
  model: string;
  /** As the AI SDK reports it: "stop", "length", "content-filter", "other", ... */
  finishReason: string;
};

export type VlmEvent =
  | { type: "request"; seq: number; purpose: string; model: string }
  /** Still waiting for call #seq, every heartbeat interval, so a slow model is not mistaken for a hang. */
  | { type: "waiting"; seq: number; purpose: string; model: string; elapsedMs: number }
  | {
      type: "retry";
      seq: number;
      purpose: string;
      attempt: number;
      maxAttempts: number;
      delayMs: number;
      reason: string;
    }
  | {
      type: "response";
      seq: number;
      purpose: string;
      model: string;
      usage: ReportedUsage;
      costUsd: number | null;
      ms: number;
      finishReason: string;
    };

export type VlmClientOptions = {
  spec: string | ModelSpec;
  trace?: TraceRecorder;
  prices?: PriceTable;
  /** Retries after the first try of each call (default 4). */
  maxRetries?: number;
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Per try (default 5 minutes: a model writing a whole program can take that long). */
  timeoutMs?: number;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Env;
  onEvent?: (event: VlmEvent) => void;
  /** How often a "waiting" event is sent while a call is under way (default 15 s). */
  heartbeatMs?: number;
};

export interface VlmClient {
  /** The model label, e.g. "anthropic:claude-opus-4-7". */
  readonly model: string;
  complete(request: VlmRequest): Promise<VlmResponse>;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_HEARTBEAT_MS = 15_000;

type Answer = {
  text: string;
  usage: ReportedUsage;
  costUsd: number | null;
  finishReason: string;
  model: string;
};

/** How one call is actually answered: by a provider over the network, or from a recorded trace. */
type Backend = (
  seq: number,
  request: VlmRequest,
  parts: readonly LoadedPart[],
  textSha256: string,
) => Promise<Answer>;

function providerBackend(spec: ProviderSpec, options: VlmClientOptions): Backend {
  const connection = createLanguageModel(spec, options.env);
  const label = modelLabel(spec);
  const prices = options.prices ?? DEFAULT_PRICES;
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    baseDelayMs: options.backoff?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.backoff?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context: CallContext = { ...connection, modelId: spec.modelId };

  return async (seq, request, parts) => {
    let signal: AbortSignal | undefined;
    const result = await withRetries(
      () => {
        signal = AbortSignal.timeout(timeoutMs);
        return generateText({
          model: connection.model,
          system: request.system,
          messages: [toUserMessage(parts)],
          maxOutputTokens: request.maxOutputTokens,
          temperature: request.temperature,
          maxRetries: 0,
          abortSignal: signal,
        });
      },
      {
        policy,
        classify: (error) => classifyCallError(error, context, signal?.aborted === true),
        giveUp: (why) => giveUpError(context, why),
        onRetry: (e) => options.onEvent?.({ type: "retry", seq, purpose: request.purpose, ...e }),
      },
    );
    const usage = {
      inputTokens: result.usage.inputTokens ?? null,
      outputTokens: result.usage.outputTokens ?? null,
    };
    return {
      text: result.text,
      usage,
      costUsd: usageKnown(usage) ? estimateCost(label, usage, prices) : null,
      finishReason: result.finishReason,
      model: label,
    };
  };
}

function replayBackend(model: ReplayModel): Backend {
  return async (seq, request, _parts, textSha256) => {
    const entry = model.answer(seq, request.purpose, textSha256);
    return { ...entry.response, costUsd: 0, model: entry.model };
  };
}

export async function createVlmClient(options: VlmClientOptions): Promise<VlmClient> {
  const spec = typeof options.spec === "string" ? parseModelSpec(options.spec) : options.spec;
  if (spec.kind === "offline") {
    throw new InputError(
      "--model offline makes no model calls: choose a model (e.g. anthropic:<id>) for the VLM agent",
    );
  }
  const backend =
    spec.kind === "replay"
      ? replayBackend(await ReplayModel.load(spec.tracePath))
      : providerBackend(spec, options);
  const label = modelLabel(spec);
  let lastSeq = 0;

  return {
    model: label,
    async complete(request) {
      const seq = options.trace ? options.trace.reserveSeq() : ++lastSeq;
      const parts = await loadParts(request.parts);
      const textSha256 = requestTextHash(request.system, request.parts);
      options.onEvent?.({ type: "request", seq, purpose: request.purpose, model: label });
      const started = performance.now();
      const heartbeat = setInterval(
        () =>
          options.onEvent?.({
            type: "waiting",
            seq,
            purpose: request.purpose,
            model: label,
            elapsedMs: Math.round(performance.now() - started),
          }),
        options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      );
      heartbeat.unref();
      let answer: Answer;
      try {
        answer = await backend(seq, request, parts, textSha256);
      } finally {
        clearInterval(heartbeat);
      }
      const ms = Math.round(performance.now() - started);
      const { model, ...response } = answer;
      await options.trace?.record({
        seq,
        purpose: request.purpose,
        model,
        request: { system: request.system, parts, textSha256 },
        response: { text: response.text, usage: response.usage, finishReason: response.finishReason },
        costUsd: response.costUsd,
        ms,
      });
      options.onEvent?.({
        type: "response",
        seq,
        purpose: request.purpose,
        model,
        usage: response.usage,
        costUsd: response.costUsd,
        finishReason: response.finishReason,
        ms,
      });
      return { ...response, model };
    },
  };
}
