/**
 * The one door to a vision-language model: a request of labelled text and images in, text out, with
 * retries, timeouts and progress events. The model behind it comes from the registry with its
 * middleware (cost for providers, replay for traces) and the trace middleware on top, so live and
 * replayed calls take the same path through the AI SDK and are recorded and priced there.
 */
import { generateText, wrapLanguageModel } from "ai";
import { type CallContext, classifyCallError, giveUpError } from "./call-failure.ts";
import { answerMetaOf, callProviderOptions, type SdkModel } from "./call-meta.ts";
import { DEFAULT_PRICES, type PriceTable, type ReportedUsage } from "./cost.ts";
import { loadParts, type Part, toUserMessage } from "./message.ts";
import { traceMiddleware } from "./middleware.ts";
import { type ModelSpec, modelLabel, parseModelSpec } from "./model-spec.ts";
import type { Env } from "./providers.ts";
import { createRegisteredModel } from "./registry.ts";
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

type Try = (abortSignal: AbortSignal | undefined) => ReturnType<typeof generateText>;

/** Runs one call: with retries and a per-try timeout for a provider, once for a replay (no network). */
type Runner = (seq: number, purpose: string, attempt: Try) => ReturnType<typeof generateText>;

function retryingRunner(connection: CallContext | null, options: VlmClientOptions): Runner {
  if (!connection) return (_seq, _purpose, attempt) => attempt(undefined);
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    baseDelayMs: options.backoff?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.backoff?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return (seq, purpose, attempt) => {
    let signal: AbortSignal | undefined;
    return withRetries(
      () => {
        signal = AbortSignal.timeout(timeoutMs);
        return attempt(signal);
      },
      {
        policy,
        classify: (error) => classifyCallError(error, connection, signal?.aborted === true),
        giveUp: (why) => giveUpError(connection, why),
        onRetry: (e) => options.onEvent?.({ type: "retry", seq, purpose, ...e }),
      },
    );
  };
}

/** Sends "waiting" events while `work` is under way, so a slow model is not taken for a hang. */
async function withHeartbeat<T>(
  options: VlmClientOptions,
  event: { seq: number; purpose: string; model: string },
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const heartbeat = setInterval(
    () =>
      options.onEvent?.({ type: "waiting", ...event, elapsedMs: Math.round(performance.now() - started) }),
    options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
  );
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
  }
}

/** The registry's model for a spec, with the trace middleware outermost when the run keeps a trace. */
async function clientModel(
  spec: ModelSpec,
  options: VlmClientOptions,
): Promise<{ model: SdkModel; connection: CallContext | null }> {
  const prices = options.prices ?? DEFAULT_PRICES;
  const registered = await createRegisteredModel(spec, { env: options.env ?? process.env, prices });
  if (!options.trace) return registered;
  const model = wrapLanguageModel({ model: registered.model, middleware: traceMiddleware(options.trace) });
  return { ...registered, model };
}

/** What the caller sees of an answer; who answered and its cost come from the middleware. */
function responseOf(result: Awaited<ReturnType<typeof generateText>>): VlmResponse {
  const { model, costUsd } = answerMetaOf(result.providerMetadata);
  const usage = {
    inputTokens: result.usage.inputTokens ?? null,
    outputTokens: result.usage.outputTokens ?? null,
  };
  return { text: result.text, usage, costUsd, model, finishReason: result.finishReason };
}

export async function createVlmClient(options: VlmClientOptions): Promise<VlmClient> {
  const spec = typeof options.spec === "string" ? parseModelSpec(options.spec) : options.spec;
  const { model, connection } = await clientModel(spec, options);
  const run = retryingRunner(connection, options);
  const label = modelLabel(spec);
  let lastSeq = 0;

  return {
    model: label,
    async complete(request) {
      // Taken when the call starts: concurrent calls finish in any order, a replay repeats the start order.
      const seq = options.trace ? options.trace.reserveSeq() : ++lastSeq;
      const { purpose } = request;
      const messages = [toUserMessage(await loadParts(request.parts))];
      options.onEvent?.({ type: "request", seq, purpose, model: label });
      const started = performance.now();
      const result = await withHeartbeat(options, { seq, purpose, model: label }, () =>
        run(seq, purpose, (abortSignal) =>
          generateText({
            model,
            system: request.system,
            messages,
            maxOutputTokens: request.maxOutputTokens,
            temperature: request.temperature,
            maxRetries: 0,
            abortSignal,
            providerOptions: callProviderOptions({ purpose, seq }),
          }),
        ),
      );
      const response = responseOf(result);
      const { usage, costUsd, finishReason } = response;
      const ms = Math.round(performance.now() - started);
      options.onEvent?.({
        type: "response",
        seq,
        purpose,
        model: response.model,
        usage,
        costUsd,
        finishReason,
        ms,
      });
      return response;
    },
  };
}
