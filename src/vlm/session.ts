/**
 * The models of one run or edit: a generator and a verifier (the generator itself unless another
 * model is asked for), sharing one trace, one price table and one event stream. The agent and
 * `seig edit` both set their models up here.
 */
import { createVlmClient, type VlmClient, type VlmClientOptions } from "./client.ts";
import { loadPriceTable, type PriceTable } from "./cost.ts";
import type { Env } from "./providers.ts";
import type { TraceRecorder } from "./trace.ts";

export type ModelSessionSpec = {
  /** Generator model spec (`anthropic:<id>`, `replay:<trace.jsonl>`, ...). */
  model: string;
  /** Verifier model spec; the generator is used when null. */
  verifierModel: string | null;
  /** A price file on top of the built-in table (else env SEIG_PRICES, else none). */
  prices: string | null;
};

export type ModelSessionOptions = {
  trace: TraceRecorder;
  /** Where keys, base URLs and SEIG_PRICES are read from (default process.env). */
  env?: Env;
  onEvent?: VlmClientOptions["onEvent"];
  /** Retry, timeout and heartbeat settings of the clients. */
  client?: Pick<VlmClientOptions, "maxRetries" | "backoff" | "timeoutMs" | "heartbeatMs">;
};

export type ModelSession = { generator: VlmClient; verifier: VlmClient; prices: PriceTable };

export async function createModelSession(
  spec: ModelSessionSpec,
  options: ModelSessionOptions,
): Promise<ModelSession> {
  const prices = loadPriceTable(spec.prices ?? undefined, options.env);
  const common = {
    trace: options.trace,
    prices,
    env: options.env,
    onEvent: options.onEvent,
    ...options.client,
  };
  const generator = await createVlmClient({ ...common, spec: spec.model });
  const verifier = spec.verifierModel
    ? await createVlmClient({ ...common, spec: spec.verifierModel })
    : generator;
  return { generator, verifier, prices };
}
