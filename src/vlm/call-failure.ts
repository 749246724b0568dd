/**
 * What a failed provider call means for the user: a key problem or a bad request (stop, with a
 * one-line fix) or a transient condition (rate limit, overload, network, timeout: retry).
 */
import { APICallError, JSONParseError, TypeValidationError } from "ai";
import { oneLine, ProviderError, SeigError } from "../errors.ts";
import type { ProviderName } from "./model-spec.ts";
import { type Failure, retryAfterMs } from "./retry.ts";

export type CallContext = {
  provider: ProviderName;
  modelId: string;
  baseURL: string;
  keyEnvVar: string | null;
};

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

function apiName(ctx: CallContext): string {
  return ctx.provider === "ollama" || ctx.provider === "openai-compatible"
    ? `the ${ctx.provider} server at ${ctx.baseURL}`
    : `the ${ctx.provider} API`;
}

function short(text: string): string {
  const line = oneLine(text);
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** `timedOut` is true when this try was aborted by our own per-try timeout. */
export function classifyCallError(error: unknown, ctx: CallContext, timedOut: boolean): Failure {
  if (timedOut) return { retry: true, reason: "no answer in time", retryAfterMs: null };
  if (error instanceof SeigError) return { retry: false, error };
  // A body that is not the provider's JSON (a proxy's HTML page, a cut-off body) is a transient
  // fault of the way there, like a 5xx, whatever the status line said.
  if (JSONParseError.isInstance(error) || TypeValidationError.isInstance(error)) {
    return { retry: true, reason: "an unreadable response body", retryAfterMs: null };
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode < 300) {
    return {
      retry: true,
      reason: `an unreadable response body (HTTP ${error.statusCode}: ${short(error.responseBody ?? error.message)})`,
      retryAfterMs: null,
    };
  }
  if (!APICallError.isInstance(error)) {
    return {
      retry: false,
      error: new ProviderError(
        `${apiName(ctx)} gave an unusable answer (${short(String((error as Error)?.message ?? error))}): try again or choose another --model`,
      ),
    };
  }
  const status = error.statusCode;
  if (status === undefined) {
    return error.isRetryable
      ? { retry: true, reason: `cannot reach ${ctx.baseURL} (${short(error.message)})`, retryAfterMs: null }
      : {
          retry: false,
          error: new ProviderError(`${apiName(ctx)} call failed (${short(error.message)}): check --model`),
        };
  }
  if (status === 401 || status === 403) {
    const check = ctx.keyEnvVar ? `check ${ctx.keyEnvVar}` : "check the server's authentication settings";
    return {
      retry: false,
      error: new ProviderError(`${apiName(ctx)} rejected the key (HTTP ${status}): ${check}`),
    };
  }
  if (RETRYABLE_STATUS.has(status) || status >= 500) {
    return { retry: true, reason: `HTTP ${status}`, retryAfterMs: retryAfterMs(error.responseHeaders) };
  }
  if (status === 404) {
    return {
      retry: false,
      error: new ProviderError(
        `${apiName(ctx)} does not know model "${ctx.modelId}" (HTTP 404): check the id in --model`,
      ),
    };
  }
  return {
    retry: false,
    error: new ProviderError(
      `${apiName(ctx)} refused the request (HTTP ${status}: ${short(error.message)}): check --model and the prompt size`,
    ),
  };
}

export function giveUpError(ctx: CallContext, why: string): ProviderError {
  return new ProviderError(
    `${apiName(ctx)} kept failing (${why}): try again later or choose another --model`,
  );
}
