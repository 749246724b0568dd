/**
 * What real servers do to a call, through the localhost double over HTTP: a 200 whose body is not
 * JSON, a call that hangs, usage left out, a huge unusable reply.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askParsed, EXCERPT_CHARS } from "../src/agent/model-call.ts";
import { addResponse, emptyUsage, usageLine } from "../src/agent/usage.ts";
import { createVlmClient, type VlmEvent } from "../src/vlm/client.ts";
import { imagePart, textPart } from "../src/vlm/message.ts";
import { extractCode } from "../src/vlm/parse.ts";
import { type FakeHandler, type FakeProviders, startFakeProviders } from "./support/fake-providers.ts";

let dir: string;
let photo: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seig-vlm-res-"));
  photo = join(dir, "photo.png");
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 90, b: 200 } } })
    .png()
    .toFile(photo);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServer(handler: FakeHandler, run: (fake: FakeProviders) => Promise<void>): Promise<void> {
  const fake = await startFakeProviders(handler);
  try {
    await run(fake);
  } finally {
    await fake.close();
  }
}

const env = (fake: FakeProviders) => ({
  OPENAI_API_KEY: "k",
  OPENAI_BASE_URL: fake.baseURLs.openai,
  ANTHROPIC_API_KEY: "k",
  ANTHROPIC_BASE_URL: fake.baseURLs.anthropic,
});
const req = () => ({
  purpose: "verify:lighting",
  system: "s",
  parts: [textPart("Hi."), imagePart("Target photo:", photo)],
});

describe("unusable bodies, hangs and missing usage", () => {
  for (const spec of ["openai:gpt-4o", "anthropic:claude-opus-4-7"]) {
    it(`${spec}: retries an HTML page and a cut-off body sent with HTTP 200, like a 5xx`, async () => {
      const bodies = ["<html><body>502 Bad Gateway (proxy)</body></html>", '{"id": "x", "choi'];
      await withServer(
        (req) => {
          const n = fake().requests.length;
          return n <= bodies.length
            ? { raw: bodies[n - 1]!, status: 200 }
            : { text: `ok from ${req.provider}` };
        },
        async (server) => {
          current = server;
          const events: VlmEvent[] = [];
          const client = await createVlmClient({
            spec,
            env: env(server),
            backoff: { baseDelayMs: 5 },
            onEvent: (e) => events.push(e),
          });
          const reply = await client.complete(req());
          expect(reply.text).toMatch(/^ok from/);
          expect(server.requests).toHaveLength(3);
          const retries = events.filter((e) => e.type === "retry");
          expect(retries).toHaveLength(2);
          expect(retries[0]).toMatchObject({ reason: expect.stringMatching(/unreadable response body/) });
        },
      );
    });
  }

  it("sends a heartbeat naming the call while the model is slow, and keeps the answer", async () => {
    await withServer(
      () => ({ text: "late but fine", delayMs: 1300 }),
      async (server) => {
        const waiting: Extract<VlmEvent, { type: "waiting" }>[] = [];
        const client = await createVlmClient({
          spec: "openai:gpt-4o",
          env: env(server),
          heartbeatMs: 300,
          onEvent: (e) => {
            if (e.type === "waiting") waiting.push(e);
          },
        });
        const reply = await client.complete(req());
        expect(reply.text).toBe("late but fine");
        expect(waiting.length).toBeGreaterThanOrEqual(3);
        expect(waiting[0]).toMatchObject({ seq: 1, purpose: "verify:lighting", model: "openai:gpt-4o" });
        const elapsed = waiting.map((w) => w.elapsedMs);
        expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
        expect(elapsed.at(-1)).toBeGreaterThanOrEqual(900);
      },
    );
  });

  it("a hanging call times out, is retried, and the heartbeat covers both tries", async () => {
    await withServer(
      () => (fake().requests.length === 1 ? { text: "never", delayMs: 5000 } : { text: "second try" }),
      async (server) => {
        current = server;
        const events: VlmEvent[] = [];
        const client = await createVlmClient({
          spec: "openai:gpt-4o",
          env: env(server),
          timeoutMs: 600,
          heartbeatMs: 200,
          backoff: { baseDelayMs: 5 },
          onEvent: (e) => events.push(e),
        });
        expect((await client.complete(req())).text).toBe("second try");
        expect(events.find((e) => e.type === "retry")).toMatchObject({ reason: "no answer in time" });
        expect(events.filter((e) => e.type === "waiting").length).toBeGreaterThanOrEqual(2);
      },
    );
  });

  it("reports usage the server left out as unknown, not as 0 tokens", async () => {
    await withServer(
      () => ({ text: "no usage here", usage: null }),
      async (server) => {
        const client = await createVlmClient({ spec: "openai:gpt-4o", env: env(server) });
        const reply = await client.complete(req());
        expect(reply.usage).toEqual({ inputTokens: null, outputTokens: null });
        expect(reply.costUsd).toBeNull();
        const usage = addResponse(emptyUsage(), { purpose: "verify:lighting", ...reply });
        expect(usageLine(usage.total)).toMatch(/token usage unknown/);
        expect(usageLine(usage.total)).toMatch(/cost unknown/);
      },
    );
  });
});

describe("re-asks after an unusable reply", () => {
  it("quotes a bounded excerpt of a 200 KB reply, not the reply", async () => {
    const huge = `I will think about this scene at length. ${"The box is red. ".repeat(12_800)}`;
    expect(huge.length).toBeGreaterThan(200_000);
    await withServer(
      (req) =>
        req.texts.some((t) => t.includes("could not be used"))
          ? { text: "```python\ndef build_lighting(P):\n    pass\n```" }
          : { text: huge },
      async (server) => {
        const client = await createVlmClient({ spec: "openai:gpt-4o", env: env(server) });
        const { value } = await askParsed(
          client,
          req(),
          (t) => {
            const code = extractCode(t);
            return code.ok && code.value.startsWith("def")
              ? code
              : { ok: false, error: new Error("no code") as never };
          },
          2,
        );
        expect(value).toMatch(/^def build_lighting/);
        const reask = server.requests[1]!.texts.join("\n");
        expect(reask.length).toBeLessThan(EXCERPT_CHARS + 2000);
        expect(reask).toMatch(/characters left out/);
        expect(reask).toContain("I will think about this scene");
      },
    );
  });
});

let current: FakeProviders | null = null;
function fake(): FakeProviders {
  if (!current) throw new Error("no server");
  return current;
}
