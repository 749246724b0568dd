/**
 * The model layer's middleware on the AI SDK's mock model: the trace middleware records the request
 * as the SDK converted it, the cost middleware prices it, and the replay middleware answers the
 * same conversation from the trace (and refuses a different one) without touching the model.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProviderOptions } from "../src/vlm/call-meta.ts";
import { type LoadedPart, requestTextHash, sha256Hex, toUserMessage } from "../src/vlm/message.ts";
import { costMiddleware, traceMiddleware } from "../src/vlm/middleware.ts";
import { ReplayDivergenceError, replayLanguageModel } from "../src/vlm/replay.ts";
import { readTrace, TraceRecorder } from "../src/vlm/trace.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seig-middleware-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const parts: LoadedPart[] = [
  { type: "text", text: "Round 1." },
  { type: "image", label: "Target photo:", png, sha256: sha256Hex(png) },
];

function mockModel(text: string): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doGenerate: {
      content: [{ type: "text", text }],
      finishReason: { unified: "stop", raw: "end_turn" },
      usage: {
        inputTokens: { total: 1000, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 200, text: undefined, reasoning: undefined },
      },
      warnings: [],
    },
  });
}

function ask(model: Parameters<typeof generateText>[0]["model"], seq: number, purpose = "scene-graph") {
  return generateText({
    model,
    system: "List objects.",
    messages: [toUserMessage(parts)],
    providerOptions: callProviderOptions({ purpose, seq }),
  });
}

describe("model middleware", () => {
  it("records and prices a call as the provider received it, then replays it without the model", async () => {
    const runDir = join(dir, "record");
    const trace = await TraceRecorder.open(runDir);
    const mock = mockModel("a box and a ball");
    const prices = { "openai:gpt-4o": { inputPerMTok: 2, outputPerMTok: 10 } };
    const model = wrapLanguageModel({
      model: mock,
      middleware: [traceMiddleware(trace), costMiddleware("openai:gpt-4o", prices)],
    });
    const live = await ask(model, trace.reserveSeq());
    expect(live.providerMetadata?.["seig"]).toEqual({ model: "openai:gpt-4o", costUsd: 0.004 });

    const [entry] = await readTrace(join(runDir, "trace.jsonl"));
    expect(entry).toMatchObject({
      seq: 1,
      purpose: "scene-graph",
      model: "openai:gpt-4o",
      costUsd: 0.004,
      request: {
        system: "List objects.",
        parts: [{ text: "Round 1." }, { label: "Target photo:", image: `${sha256Hex(png)}.png` }],
        textSha256: requestTextHash("List objects.", parts),
      },
      response: {
        text: "a box and a ball",
        usage: { inputTokens: 1000, outputTokens: 200 },
        finishReason: "stop",
      },
    });

    const replay = await replayLanguageModel(join(runDir, "trace.jsonl"));
    const replayed = await ask(replay, 1);
    expect(replayed.text).toBe(live.text);
    expect(replayed.usage.inputTokens).toBe(1000);
    expect(replayed.providerMetadata?.["seig"]).toEqual({ model: "openai:gpt-4o", costUsd: 0 });
    expect(mock.doGenerateCalls).toHaveLength(1);

    const diverged = await ask(replay, 1, "scaffold").catch((e: unknown) => e);
    expect(diverged).toBeInstanceOf(ReplayDivergenceError);
    expect((diverged as Error).message).toContain(
      'the trace recorded "scene-graph" but the run asks for "scaffold"',
    );
  });

  it("refuses a call that carries no purpose and number", async () => {
    const model = wrapLanguageModel({
      model: mockModel("x"),
      middleware: costMiddleware("openai:gpt-4o", {}),
    });
    const trace = await TraceRecorder.open(join(dir, "no-meta"));
    const traced = wrapLanguageModel({ model, middleware: traceMiddleware(trace) });
    await expect(generateText({ model: traced, prompt: "hi" })).rejects.toThrow(/without seig call metadata/);
  });
});
