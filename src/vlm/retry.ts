/**
 * Retrying model calls: exponential backoff that honours the server's Retry-After. Done here rather
 * than inside the AI SDK (which is called with maxRetries: 0) so the policy is explicit and tested.
 */

export type RetryPolicy = {
  /** Retries after the first try; 0 means one try only. */
  maxRetries: number;
  /** First backoff delay; doubles with every retry. */
  baseDelayMs: number;
  /** Longest single wait. A Retry-After asking for more than this gives up rather than stall a run. */
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 2_000, maxDelayMs: 120_000 };

/** How one failed try should be handled. */
export type Failure =
  | { retry: false; error: Error }
  | { retry: true; reason: string; retryAfterMs: number | null };

export type RetryEvent = { attempt: number; maxAttempts: number; delayMs: number; reason: string };

export type RetryOptions = {
  policy: RetryPolicy;
  classify: (error: unknown) => Failure;
  /** Builds the error thrown when retrying stops; `why` is one clause, e.g. "HTTP 500, 5 tries". */
  giveUp: (why: string) => Error;
  onRetry?: (event: RetryEvent) => void;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * The wait a server asks for, from `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP
 * date, RFC 9110). Null when absent or unreadable.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | undefined,
  now = Date.now(),
): number | null {
  if (!headers) return null;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = lower["retry-after-ms"];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const after = lower["retry-after"]?.trim();
  if (!after) return null;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, classify, giveUp, onRetry, sleep = realSleep } = options;
  const maxAttempts = policy.maxRetries + 1;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = classify(error);
      if (!failure.retry) throw failure.error;
      if (tries >= maxAttempts) throw giveUp(`${failure.reason}, ${tries} ${tries === 1 ? "try" : "tries"}`);
      if (failure.retryAfterMs !== null && failure.retryAfterMs > policy.maxDelayMs) {
        throw giveUp(
          `${failure.reason}, the server asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s`,
        );
      }
      const delayMs = failure.retryAfterMs ?? backoffDelayMs(tries, policy);
      onRetry?.({ attempt: tries + 1, maxAttempts, delayMs, reason: failure.reason });
      await sleep(delayMs);
    }
  }
}
