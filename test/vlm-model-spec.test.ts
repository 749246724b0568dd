import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/errors.ts";
import { DEFAULT_PRICES, estimateCost, loadPriceTable } from "../src/vlm/cost.ts";
import { MODEL_SPEC_FORMS, modelLabel, parseModelSpec } from "../src/vlm/model-spec.ts";
import { ollamaBaseURL } from "../src/vlm/providers.ts";
import { MODEL_REGISTRY } from "../src/vlm/registry.ts";

describe("parseModelSpec", () => {
  it("parses every accepted form", () => {
    expect(parseModelSpec("anthropic:claude-opus-4-7")).toEqual({
      kind: "provider",
      provider: "anthropic",
      modelId: "claude-opus-4-7",
    });
    expect(parseModelSpec("openai:gpt-4o").kind).toBe("provider");
    expect(parseModelSpec("google:gemini-2.5-pro")).toMatchObject({
      provider: "google",
      modelId: "gemini-2.5-pro",
    });
    expect(parseModelSpec("ollama:qwen2.5vl:7b")).toMatchObject({
      provider: "ollama",
      modelId: "qwen2.5vl:7b",
    });
    expect(parseModelSpec("openai-compatible:http://127.0.0.1:8000/v1/#Qwen/Qwen2.5-VL-7B-Instruct")).toEqual(
      {
        kind: "provider",
        provider: "openai-compatible",
        modelId: "Qwen/Qwen2.5-VL-7B-Instruct",
        baseURL: "http://127.0.0.1:8000/v1",
      },
    );
    expect(parseModelSpec("replay:runs/a/trace.jsonl")).toEqual({
      kind: "replay",
      tracePath: "runs/a/trace.jsonl",
    });
    expect(parseModelSpec(" offline ")).toEqual({ kind: "offline" });
  });

  it("rejects bad specs with one line listing the accepted forms", () => {
    for (const bad of [
      "claude",
      "mistral:large",
      "anthropic:",
      "openai:gpt 4o",
      "openai-compatible:http://host:8000/v1",
      "openai-compatible:ftp://host#m",
      "openai-compatible:http://host/v1#",
      "replay:",
    ]) {
      let error: unknown;
      try {
        parseModelSpec(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(MODEL_SPEC_FORMS);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("takes its prefixes from the registry: an unknown one names --model and every allowed prefix", () => {
    expect(Object.keys(MODEL_REGISTRY)).toEqual([
      "anthropic",
      "openai",
      "google",
      "ollama",
      "openai-compatible",
      "replay",
    ]);
    expect(() => parseModelSpec("mistral:large")).toThrow(
      new InputError(
        '--model "mistral:large" is not usable (unknown provider "mistral"): use one of anthropic:<id>, openai:<id>, google:<id>, ollama:<id>, openai-compatible:<baseURL>#<id>, replay:<trace.jsonl>, offline',
      ),
    );
    // Inherited object keys are not prefixes.
    expect(() => parseModelSpec("constructor:x")).toThrow(/unknown provider "constructor"/);
  });

  it("labels models as provider:id", () => {
    expect(modelLabel(parseModelSpec("openai-compatible:http://h:1/v1#llava"))).toBe(
      "openai-compatible:llava",
    );
    expect(modelLabel(parseModelSpec("offline"))).toBe("offline");
  });

  it("builds the Ollama URL from OLLAMA_HOST", () => {
    expect(ollamaBaseURL({})).toBe("http://127.0.0.1:11434/v1");
    expect(ollamaBaseURL({ OLLAMA_HOST: "gpu-box:11434" })).toBe("http://gpu-box:11434/v1");
    expect(ollamaBaseURL({ OLLAMA_HOST: "https://ollama.example/" })).toBe("https://ollama.example/v1");
  });
});

describe("cost", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "seig-prices-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prices known models per million tokens and returns null for unknown ones", () => {
    const usage = { inputTokens: 2_000_000, outputTokens: 100_000 };
    const p = DEFAULT_PRICES["anthropic:claude-opus-4-7"]!;
    expect(estimateCost("anthropic:claude-opus-4-7", usage)).toBeCloseTo(
      2 * p.inputPerMTok + 0.1 * p.outputPerMTok,
      10,
    );
    expect(estimateCost("anthropic:claude-opus-4-7-unreleased", usage)).toBeNull();
    expect(estimateCost("openai-compatible:llava", usage)).toBeNull();
    expect(estimateCost("ollama:llava", usage)).toBe(0);
  });

  it("loads overrides from --prices or SEIG_PRICES on top of the defaults", async () => {
    const file = join(dir, "prices.json");
    await writeFile(
      file,
      JSON.stringify({ "openai-compatible:*": { inputPerMTok: 0.1, outputPerMTok: 0.2 } }),
    );
    for (const table of [loadPriceTable(file, {}), loadPriceTable(undefined, { SEIG_PRICES: file })]) {
      expect(
        estimateCost("openai-compatible:llava", { inputTokens: 1e6, outputTokens: 1e6 }, table),
      ).toBeCloseTo(0.3);
      expect(table["openai:gpt-4o"]).toEqual(DEFAULT_PRICES["openai:gpt-4o"]);
    }
    expect(loadPriceTable(undefined, {})).toBe(DEFAULT_PRICES);
  });

  it("rejects a bad price file with one line", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ "openai:gpt-4o": { inputPerMTok: -1, outputPerMTok: 2 } }));
    expect(() => loadPriceTable(bad, {})).toThrow(InputError);
    expect(() => loadPriceTable(bad, {})).toThrow(
      /bad entry: "openai:gpt-4o"\.inputPerMTok must be a number ≥ 0, got -1;/,
    );
    await writeFile(bad, "{ nope");
    expect(() => loadPriceTable(bad, {})).toThrow(/not valid JSON/);
    expect(() => loadPriceTable(join(dir, "missing.json"), {})).toThrow(/ENOENT/);
  });
});
