/**
 * The `--model` string: which proposer drives the agent. Parsed once at the CLI boundary into a
 * typed spec so nothing downstream re-parses strings. The prefixes and their parsers live in the
 * model registry (registry.ts); this module holds the spec types.
 */

export type ProviderName = "anthropic" | "openai" | "google" | "ollama" | "openai-compatible";

export type ProviderSpec = {
  kind: "provider";
  provider: ProviderName;
  modelId: string;
  /** Only for `openai-compatible`: the server's API root, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL?: string;
};

export type ModelSpec = ProviderSpec | { kind: "replay"; tracePath: string } | { kind: "offline" };

export { MODEL_SPEC_FORMS, modelLabel, parseModelSpec } from "./registry.ts";
