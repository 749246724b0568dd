/**
 * The `--queue redis://[:password@]host:port[/db]` URL (or `rediss://` for TLS): validated once,
 * shown with its password masked in every message, and turned into ioredis connections — the
 * URL goes to ioredis as it is, so password, db number and TLS follow its documented rules.
 */
import { Redis, type RedisOptions } from "ioredis";
import { InputError, oneLine } from "../errors.ts";
import { QueueUnreachable } from "./queue-errors.ts";

export interface QueueUrl {
  /** The URL as given, password included: only ever passed to ioredis. */
  readonly url: string;
  /** The URL with its password masked, for messages and logs. */
  readonly shown: string;
}

export function parseQueueUrl(text: string): QueueUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--queue "${text}" is not a URL; give redis://host:port[/db] or rediss://… for TLS`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new InputError(`--queue ${maskPassword(url)}: use a redis:// or rediss:// (TLS) URL`);
  }
  if (!url.hostname) throw new InputError(`--queue ${maskPassword(url)} names no host`);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) {
    throw new InputError(`--queue ${maskPassword(url)}: the path must be a database number (/0, /1, …)`);
  }
  return { url: text, shown: maskPassword(url) };
}

function maskPassword(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = "***";
  return copy.href.replace(/\/$/, "");
}

/**
 * A connection for BullMQ. Workers and event readers block on Redis, so BullMQ needs
 * maxRetriesPerRequest null there; callers detect a lost Redis by their own deadlines instead.
 */
export function connect(queue: QueueUrl, extra: RedisOptions = {}): Redis {
  const redis = new Redis(queue.url, {
    maxRetriesPerRequest: null,
    // A steady 1 s between reconnect attempts: quick to notice a restarted Redis, gentle meanwhile.
    retryStrategy: () => 1000,
    ...extra,
  });
  // ioredis emits "error" on every failed reconnect; callers report a lost Redis once, by deadline.
  redis.on("error", () => {});
  return redis;
}

/** Fails fast with one line naming the URL when Redis does not answer a PING. */
export async function assertReachable(queue: QueueUrl, timeoutMs = 5000): Promise<void> {
  const probe = new Redis(queue.url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The first socket error says why (ECONNREFUSED, ENOTFOUND, auth); connect() only says "closed".
  let cause: unknown = null;
  probe.on("error", (e) => {
    cause ??= e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new QueueUnreachable(
      `cannot reach Redis at ${queue.shown} (${oneLine(cause ?? e) || "no answer"}) — start redis-server or fix --queue`,
      1,
      { cause: e },
    );
  } finally {
    probe.disconnect();
  }
}
