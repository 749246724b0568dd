/**
 * Keys and base URLs of the providers. They are resolved here, from an explicit environment object
 * (process.env by default), and passed to the SDK explicitly (registry.ts): the SDK never reads the
 * environment itself, so tests and the CLI see the same resolution rules.
 */
import { ProviderError } from "../errors.ts";
import type { ProviderName, ProviderSpec } from "./model-spec.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables holding each provider's key, first match wins. Local servers need none. */
export const KEY_ENV_VARS: Record<ProviderName, readonly string[]> = {
  anthropic: ["ANTHROPIC_API_KEY"],
  openai: ["OPENAI_API_KEY"],
  google: ["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"],
  ollama: [],
  "openai-compatible": ["OPENAI_COMPATIBLE_API_KEY"],
};

/** Providers that cannot work without a key (local servers usually run without one). */
const KEY_REQUIRED: ReadonlySet<ProviderName> = new Set(["anthropic", "openai", "google"]);

const DEFAULT_BASE_URLS = {
  anthropic: "https://api.anthropic.com/v1",
  openai: "https://api.openai.com/v1",
  google: "https://generativelanguage.googleapis.com/v1beta",
} as const;

const BASE_URL_ENV_VARS = {
  anthropic: "ANTHROPIC_BASE_URL",
  openai: "OPENAI_BASE_URL",
  google: "GOOGLE_GENERATIVE_AI_BASE_URL",
} as const;

export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

export type ProviderConnection = {
  provider: ProviderName;
  /** Undefined for local servers that run without one. */
  apiKey: string | undefined;
  /** The API root requests go to, for error messages ("cannot reach ..."). */
  baseURL: string;
  /** The variable the key came from (or should come from), for "check X" messages; null if none applies. */
  keyEnvVar: string | null;
};

export type KeyStatus = { provider: ProviderName; envVar: string | null; set: boolean; required: boolean };

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

function findKey(provider: ProviderName, env: Env): { envVar: string | null; key: string | undefined } {
  const names = KEY_ENV_VARS[provider];
  for (const name of names) {
    const key = nonEmpty(env[name]);
    if (key) return { envVar: name, key };
  }
  return { envVar: names[0] ?? null, key: undefined };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** OLLAMA_HOST may be "host:port" without a scheme (Ollama itself accepts that). */
export function ollamaBaseURL(env: Env): string {
  const host = nonEmpty(env["OLLAMA_HOST"]) ?? DEFAULT_OLLAMA_HOST;
  const withScheme = /^https?:\/\//.test(host) ? host : `http://${host}`;
  return `${withoutTrailingSlash(withScheme)}/v1`;
}

export function resolveBaseURL(spec: ProviderSpec, env: Env): string {
  switch (spec.provider) {
    case "ollama":
      return ollamaBaseURL(env);
    case "openai-compatible":
      if (!spec.baseURL)
        throw new ProviderError("openai-compatible needs a base URL: use openai-compatible:<baseURL>#<id>");
      return withoutTrailingSlash(spec.baseURL);
    default:
      return withoutTrailingSlash(
        nonEmpty(env[BASE_URL_ENV_VARS[spec.provider]]) ?? DEFAULT_BASE_URLS[spec.provider],
      );
  }
}

/** The key and API root a provider spec is called with; a missing required key is a one-line error. */
export function resolveConnection(spec: ProviderSpec, env: Env = process.env): ProviderConnection {
  const { envVar, key } = findKey(spec.provider, env);
  if (!key && KEY_REQUIRED.has(spec.provider)) {
    throw new ProviderError(`${envVar} is not set: export it or choose another --model`);
  }
  return { provider: spec.provider, apiKey: key, baseURL: resolveBaseURL(spec, env), keyEnvVar: envVar };
}

/** Which providers have a key set, for `seig doctor`. Never returns the keys themselves. */
export function keyStatus(env: Env = process.env): KeyStatus[] {
  return (Object.keys(KEY_ENV_VARS) as ProviderName[]).map((provider) => {
    const { envVar, key } = findKey(provider, env);
    return { provider, envVar, set: key !== undefined, required: KEY_REQUIRED.has(provider) };
  });
}
