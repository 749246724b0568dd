/**
 * The `--model` string: which proposer drives the agent. Parsed once at the CLI boundary into a
 * typed spec so nothing downstream re-parses strings.
 */
import { z } from "zod";
import { InputError } from "../errors.ts";

export type ProviderName = "anthropic" | "openai" | "google" | "ollama" | "openai-compatible";

export type ProviderSpec = {
  kind: "provider";
  provider: ProviderName;
  modelId: string;
  /** Only for `openai-compatible`: the server's API root, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL?: string;
};

export type ModelSpec = ProviderSpec | { kind: "replay"; tracePath: string } | { kind: "offline" };

export const MODEL_SPEC_FORMS =
  "anthropic:<id>, openai:<id>, google:<id>, ollama:<id>, openai-compatible:<baseURL>#<id>, replay:<trace.jsonl>, offline";

const modelId = z
  .string()
  .trim()
  .min(1)
  .regex(/^[^\s#]+$/);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));

const namedProvider = z.enum(["anthropic", "openai", "google", "ollama"]);

function badSpec(text: string, why: string): InputError {
  return new InputError(`--model "${text}" is not usable (${why}): use one of ${MODEL_SPEC_FORMS}`);
}

export function parseModelSpec(text: string): ModelSpec {
  const trimmed = text.trim();
  if (trimmed === "offline") return { kind: "offline" };
  const colon = trimmed.indexOf(":");
  if (colon < 0) throw badSpec(text, "no provider prefix");
  const prefix = trimmed.slice(0, colon);
  const rest = trimmed.slice(colon + 1);

  if (prefix === "replay") {
    if (!rest.trim()) throw badSpec(text, "no trace path");
    return { kind: "replay", tracePath: rest.trim() };
  }
  if (prefix === "openai-compatible") {
    // Split on the last '#': URLs may contain ':' and '/', model ids (e.g. "Qwen/Qwen2.5-VL-7B") never '#'.
    const hash = rest.lastIndexOf("#");
    if (hash < 0) throw badSpec(text, "missing #<model id> after the base URL");
    const url = httpUrl.safeParse(rest.slice(0, hash));
    if (!url.success) throw badSpec(text, "the base URL must be an http(s) URL");
    const id = modelId.safeParse(rest.slice(hash + 1));
    if (!id.success) throw badSpec(text, "empty or malformed model id");
    return { kind: "provider", provider: "openai-compatible", modelId: id.data, baseURL: url.data };
  }
  const provider = namedProvider.safeParse(prefix);
  if (!provider.success) throw badSpec(text, `unknown provider "${prefix}"`);
  const id = modelId.safeParse(rest);
  if (!id.success) throw badSpec(text, "empty or malformed model id");
  return { kind: "provider", provider: provider.data, modelId: id.data };
}

/** A short, stable name for a model: used in traces, reports and as the price-table key. */
export function modelLabel(spec: ModelSpec): string {
  switch (spec.kind) {
    case "offline":
      return "offline";
    case "replay":
      return `replay:${spec.tracePath}`;
    case "provider":
      return `${spec.provider}:${spec.modelId}`;
  }
}
