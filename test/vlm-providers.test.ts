import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "../src/errors.ts";
import { createVlmClient, type VlmEvent } from "../src/vlm/client.ts";
import { imagePart, textPart } from "../src/vlm/message.ts";
import { keyStatus } from "../src/vlm/providers.ts";
import { type FakeHandler, type FakeProviders, startFakeProviders } from "./support/fake-providers.ts";

const KEY = "test-key-123";
let dir: string;
let photo: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seig-vlm-"));
  photo = join(dir, "photo.png");
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toFile(photo);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServer(handler: FakeHandler, run: (fake: FakeProviders) => Promise<void>): Promise<void> {
  const fake = await startFakeProviders(handler, { apiKey: KEY });
  try {
    await run(fake);
  } finally {
    await fake.close();
  }
}

/** The env each provider's client reads, pointed at the double. */
function envFor(fake: FakeProviders, key = KEY): Record<string, string> {
  return {
    ANTHROPIC_API_KEY: key,
    ANTHROPIC_BASE_URL: fake.baseURLs.anthropic,
    OPENAI_API_KEY: key,
    OPENAI_BASE_URL: fake.baseURLs.openai,
    GEMINI_API_KEY: key,
    GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURLs.google,
    OPENAI_COMPATIBLE_API_KEY: key,
  };
}

const request = () => ({
  purpose: "compare",
  system: "You are a careful 3D artist.",
  parts: [textPart("Describe the scene."), imagePart("Target photo:", photo)],
  maxOutputTokens: 500,
});

describe("provider round trips through the localhost double", () => {
  const cases = [
    { spec: "anthropic:claude-opus-4-7", provider: "anthropic", model: "claude-opus-4-7", priced: true },
    { spec: "openai:gpt-4o", provider: "openai", model: "gpt-4o", priced: true },
    { spec: "google:gemini-2.5-pro", provider: "google", model: "gemini-2.5-pro", priced: true },
    {
      spec: "openai-compatible:BASE#Qwen/Qwen2.5-VL-7B",
      provider: "openai-compatible",
      model: "Qwen/Qwen2.5-VL-7B",
      priced: false,
    },
  ] as const;

  for (const c of cases) {
    it(`${c.provider}: sends text, label and a decodable PNG; returns text, usage and cost`, async () => {
      await withServer(
        (req) => ({ text: `hello from ${req.provider}`, usage: { input: 1000, output: 200 } }),
        async (fake) => {
          const spec = c.spec.replace("BASE", fake.baseURLs["openai-compatible"]);
          const client = await createVlmClient({ spec, env: envFor(fake) });
          const res = await client.complete(request());

          expect(res.text).toBe(`hello from ${c.provider}`);
          expect(res.usage).toEqual({ inputTokens: 1000, outputTokens: 200 });
          expect(res.finishReason).toBe("stop");
          expect(res.model).toBe(`${c.provider}:${c.model}`);
          if (c.priced) expect(res.costUsd).toBeGreaterThan(0);
          else expect(res.costUsd).toBeNull();

          expect(fake.requests).toHaveLength(1);
          const got = fake.requests[0]!;
          expect(got.provider).toBe(c.provider);
          expect(got.model).toBe(c.model);
          expect(got.system).toBe("You are a careful 3D artist.");
          expect(got.texts).toEqual(["Describe the scene.", "Target photo:"]);
          expect(got.images).toHaveLength(1);
          const meta = await sharp(got.images[0]!).metadata();
          expect([meta.format, meta.width, meta.height]).toEqual(["png", 64, 48]);
        },
      );
    });
  }

  it("reports finishReason length when the reply was cut off", async () => {
    await withServer(
      () => ({ text: "```python\nx = [1,", finishReason: "length" }),
      async (fake) => {
        const client = await createVlmClient({ spec: "anthropic:claude-opus-4-7", env: envFor(fake) });
        expect((await client.complete(request())).finishReason).toBe("length");
      },
    );
  });
});

describe("robustness", () => {
  it("waits as long as Retry-After asks after a 429, then succeeds", async () => {
    let calls = 0;
    await withServer(
      () => (++calls === 1 ? { status: 429, retryAfter: 1 } : { text: "ok" }),
      async (fake) => {
        const events: VlmEvent[] = [];
        const client = await createVlmClient({
          spec: "openai:gpt-4o",
          env: envFor(fake),
          backoff: { baseDelayMs: 10 },
          onEvent: (e) => events.push(e),
        });
        const started = Date.now();
        const res = await client.complete(request());
        expect(res.text).toBe("ok");
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(fake.requests).toHaveLength(2);
        const retry = events.find((e) => e.type === "retry");
        expect(retry).toMatchObject({ type: "retry", attempt: 2, delayMs: 1000, reason: "HTTP 429" });
        expect(events.map((e) => e.type)).toEqual(["request", "retry", "response"]);
      },
    );
  });

  it("honours Retry-After given as an HTTP date", async () => {
    let calls = 0;
    await withServer(
      () =>
        ++calls === 1
          ? { status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() }
          : { text: "ok" },
      async (fake) => {
        const delays: number[] = [];
        const client = await createVlmClient({
          spec: "google:gemini-2.5-flash",
          env: envFor(fake),
          backoff: { baseDelayMs: 10 },
          onEvent: (e) => e.type === "retry" && delays.push(e.delayMs),
        });
        expect((await client.complete(request())).text).toBe("ok");
        // HTTP dates have 1 s resolution: the wait is between 1 and 2 s, never the 10 ms backoff.
        expect(delays[0]).toBeGreaterThan(500);
        expect(delays[0]).toBeLessThanOrEqual(2000);
      },
    );
  });

  it("turns a rejected key into a one-line ProviderError naming the env var, without retrying", async () => {
    await withServer(
      () => ({ text: "never" }),
      async (fake) => {
        const client = await createVlmClient({
          spec: "anthropic:claude-opus-4-7",
          env: envFor(fake, "wrong-key"),
        });
        const error = await client.complete(request()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as Error).message).toBe(
          "the anthropic API rejected the key (HTTP 401): check ANTHROPIC_API_KEY",
        );
        expect(fake.requests).toHaveLength(1);
      },
    );
  });

  it("uses GEMINI_API_KEY's name in the 401 message when that is where the key came from", async () => {
    await withServer(
      () => ({ status: 403 }),
      async (fake) => {
        const client = await createVlmClient({ spec: "google:gemini-2.5-pro", env: envFor(fake) });
        await expect(client.complete(request())).rejects.toThrow(
          "the google API rejected the key (HTTP 403): check GEMINI_API_KEY",
        );
      },
    );
  });

  it("gives up after N tries of HTTP 500 with one line", async () => {
    await withServer(
      () => ({ status: 500 }),
      async (fake) => {
        const client = await createVlmClient({
          spec: "openai:gpt-4o",
          env: envFor(fake),
          maxRetries: 2,
          backoff: { baseDelayMs: 5 },
        });
        const error = (await client.complete(request()).catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(ProviderError);
        expect(error.message).toBe(
          "the openai API kept failing (HTTP 500, 3 tries): try again later or choose another --model",
        );
        expect(error.message).not.toContain("\n");
        expect(fake.requests).toHaveLength(3);
      },
    );
  });

  it("gives up at once when Retry-After asks for longer than the longest wait", async () => {
    await withServer(
      () => ({ status: 429, retryAfter: 3600 }),
      async (fake) => {
        const client = await createVlmClient({ spec: "openai:gpt-4o", env: envFor(fake) });
        await expect(client.complete(request())).rejects.toThrow(
          "the openai API kept failing (HTTP 429, the server asks to wait 3600 s): try again later or choose another --model",
        );
        expect(fake.requests).toHaveLength(1);
      },
    );
  });

  it("retries a try that exceeds the timeout, then gives up", async () => {
    await withServer(
      async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return { text: "too late" };
      },
      async (fake) => {
        const client = await createVlmClient({
          spec: "anthropic:claude-opus-4-7",
          env: envFor(fake),
          timeoutMs: 200,
          maxRetries: 1,
          backoff: { baseDelayMs: 5 },
        });
        await expect(client.complete(request())).rejects.toThrow(
          "the anthropic API kept failing (no answer in time, 2 tries)",
        );
        expect(fake.requests).toHaveLength(2);
      },
    );
  });

  it("says which local server cannot be reached", async () => {
    const fake = await startFakeProviders(() => ({ text: "x" }));
    const deadUrl = fake.baseURLs["openai-compatible"];
    await fake.close();
    const client = await createVlmClient({
      spec: `openai-compatible:${deadUrl}#llava`,
      env: {},
      maxRetries: 1,
      backoff: { baseDelayMs: 5 },
    });
    await expect(client.complete(request())).rejects.toThrow(
      new RegExp(`^the openai-compatible server at ${deadUrl} kept failing \\(cannot reach ${deadUrl}`),
    );
  });

  it("points ollama at OLLAMA_HOST/v1 (scheme optional) and sends no key", async () => {
    // The double's OpenAI route is /v1/chat/completions, exactly where Ollama serves it.
    const fake = await startFakeProviders(() => ({ text: "local answer" }));
    try {
      const client = await createVlmClient({
        spec: "ollama:llava:13b",
        env: { OLLAMA_HOST: fake.url.replace("http://", "") },
      });
      const res = await client.complete(request());
      expect(res.text).toBe("local answer");
      expect(res.costUsd).toBe(0);
      expect(fake.requests[0]!.provider).toBe("openai");
      expect(fake.requests[0]!.model).toBe("llava:13b");
      expect(fake.requests[0]!.images).toHaveLength(1);
      expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await fake.close();
    }
  });
});

describe("keys", () => {
  it("a missing key is a one-line ProviderError before any request", async () => {
    await expect(createVlmClient({ spec: "anthropic:claude-opus-4-7", env: {} })).rejects.toThrow(
      new ProviderError("ANTHROPIC_API_KEY is not set: export it or choose another --model"),
    );
    await expect(
      createVlmClient({ spec: "google:gemini-2.5-pro", env: { GEMINI_API_KEY: " " } }),
    ).rejects.toThrow("GOOGLE_GENERATIVE_AI_API_KEY is not set: export it or choose another --model");
  });

  it("keyStatus tells which keys are set and never returns them", () => {
    const status = keyStatus({ OPENAI_API_KEY: "sk-secret", GEMINI_API_KEY: "g-secret" });
    expect(JSON.stringify(status)).not.toContain("secret");
    const byProvider = Object.fromEntries(status.map((s) => [s.provider, s]));
    expect(byProvider["openai"]).toMatchObject({ set: true, envVar: "OPENAI_API_KEY", required: true });
    expect(byProvider["google"]).toMatchObject({ set: true, envVar: "GEMINI_API_KEY" });
    expect(byProvider["anthropic"]).toMatchObject({ set: false, envVar: "ANTHROPIC_API_KEY" });
    expect(byProvider["ollama"]).toMatchObject({ set: false, envVar: null, required: false });
  });
});
