/**
 * The `--model` registry: each prefix (`anthropic:`, ..., `replay:`) maps to how its spec is parsed
 * and how its AI SDK model is built, with the middleware it needs (cost for providers, replay for
 * traces). Adding a provider is one entry here and its key variable in providers.ts.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { wrapLanguageModel } from "ai";
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { CallContext } from "./call-failure.ts";
import type { SdkModel } from "./call-meta.ts";
import type { PriceTable } from "./cost.ts";
import { costMiddleware } from "./middleware.ts";
import type { ModelSpec, ProviderName, ProviderSpec } from "./model-spec.ts";
import { type Env, resolveConnection } from "./providers.ts";
import { replayLanguageModel } from "./replay.ts";

export type ModelFactoryOptions = { env: Env; prices: PriceTable };

export type RegisteredModel = {
  model: SdkModel;
  /** Where calls go, for error messages and retries; null when nothing leaves the process (replay). */
  connection: CallContext | null;
};

type RegistryEntry = {
  /** The accepted form, as listed in error messages. */
  form: string;
  /** The spec, or why `rest` (the text after the prefix) is not usable. */
  parse(rest: string): ModelSpec | string;
  create(spec: ModelSpec, options: ModelFactoryOptions): Promise<RegisteredModel>;
};

type SdkBuilder = (connection: { apiKey: string | undefined; baseURL: string }, modelId: string) => SdkModel;

const modelId = z
  .string()
  .trim()
  .min(1)
  .regex(/^[^\s#]+$/);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));

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

function parseNamed(provider: ProviderName, rest: string): ModelSpec | string {
  const id = modelId.safeParse(rest);
  return id.success ? { kind: "provider", provider, modelId: id.data } : "empty or malformed model id";
}

/** `<baseURL>#<id>`, split on the last '#': URLs may hold ':' and '/', model ids never '#'. */
function parseCompatible(rest: string): ModelSpec | string {
  const hash = rest.lastIndexOf("#");
  if (hash < 0) return "missing #<model id> after the base URL";
  const url = httpUrl.safeParse(rest.slice(0, hash));
  if (!url.success) return "the base URL must be an http(s) URL";
  const id = modelId.safeParse(rest.slice(hash + 1));
  if (!id.success) return "empty or malformed model id";
  return { kind: "provider", provider: "openai-compatible", modelId: id.data, baseURL: url.data };
}

function providerEntry(provider: ProviderName, build: SdkBuilder): RegistryEntry {
  return {
    form: provider === "openai-compatible" ? `${provider}:<baseURL>#<id>` : `${provider}:<id>`,
    parse: (rest) => (provider === "openai-compatible" ? parseCompatible(rest) : parseNamed(provider, rest)),
    async create(spec, options) {
      const provided = spec as ProviderSpec;
      const { apiKey, ...where } = resolveConnection(provided, options.env);
      const model = wrapLanguageModel({
        model: build({ apiKey, baseURL: where.baseURL }, provided.modelId),
        middleware: costMiddleware(modelLabel(provided), options.prices),
      });
      return { model, connection: { ...where, modelId: provided.modelId } };
    },
  };
}

const compatible =
  (name: ProviderName): SdkBuilder =>
  ({ apiKey, baseURL }, id) =>
    createOpenAICompatible({ name, baseURL, apiKey }).chatModel(id);

export const MODEL_REGISTRY: Readonly<Record<ProviderName | "replay", RegistryEntry>> = {
  anthropic: providerEntry("anthropic", (c, id) => createAnthropic(c)(id)),
  // Chat Completions rather than the Responses API: the same wire format every compatible server speaks.
  openai: providerEntry("openai", (c, id) => createOpenAI(c).chat(id)),
  google: providerEntry("google", (c, id) => createGoogleGenerativeAI(c)(id)),
  ollama: providerEntry("ollama", compatible("ollama")),
  "openai-compatible": providerEntry("openai-compatible", compatible("openai-compatible")),
  replay: {
    form: "replay:<trace.jsonl>",
    parse: (rest) => (rest.trim() ? { kind: "replay", tracePath: rest.trim() } : "no trace path"),
    async create(spec) {
      const { tracePath } = spec as Extract<ModelSpec, { kind: "replay" }>;
      return { model: await replayLanguageModel(tracePath), connection: null };
    },
  },
};

export const MODEL_SPEC_FORMS = [...Object.values(MODEL_REGISTRY).map((e) => e.form), "offline"].join(", ");

function badSpec(text: string, why: string): InputError {
  return new InputError(`--model "${text}" is not usable (${why}): use one of ${MODEL_SPEC_FORMS}`);
}

function entryFor(prefix: string): RegistryEntry | undefined {
  return Object.hasOwn(MODEL_REGISTRY, prefix)
    ? MODEL_REGISTRY[prefix as keyof typeof MODEL_REGISTRY]
    : undefined;
}

export function parseModelSpec(text: string): ModelSpec {
  const trimmed = text.trim();
  if (trimmed === "offline") return { kind: "offline" };
  const colon = trimmed.indexOf(":");
  if (colon < 0) throw badSpec(text, "no provider prefix");
  const prefix = trimmed.slice(0, colon);
  const entry = entryFor(prefix);
  if (!entry) throw badSpec(text, `unknown provider "${prefix}"`);
  const spec = entry.parse(trimmed.slice(colon + 1));
  if (typeof spec === "string") throw badSpec(text, spec);
  return spec;
}

/** The AI SDK model behind a spec, through its registry entry. */
export function createRegisteredModel(
  spec: ModelSpec,
  options: ModelFactoryOptions,
): Promise<RegisteredModel> {
  if (spec.kind === "offline") {
    throw new InputError(
      "--model offline makes no model calls: choose a model (e.g. anthropic:<id>) for the VLM agent",
    );
  }
  const entry = MODEL_REGISTRY[spec.kind === "replay" ? "replay" : spec.provider];
  return entry.create(spec, options);
}
