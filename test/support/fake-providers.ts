/**
 * A localhost stand-in for the model providers, speaking their real wire formats over HTTP so the
 * real AI SDK clients run unchanged in tests:
 *   OpenAI             POST <url>/v1/chat/completions          (base URL `${url}/v1`)
 *   OpenAI-compatible  POST <url>/compat/v1/chat/completions   (base URL `${url}/compat/v1`)
 *   Anthropic          POST <url>/v1/messages                  (base URL `${url}/v1`, as createAnthropic expects)
 *   Gemini             POST <url>/v1beta/models/<id>:generateContent (base URL `${url}/v1beta`)
 * A scripted handler decides each answer; every request is recorded, decoded, for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeProvider = "openai" | "openai-compatible" | "anthropic" | "google";

export type FakeRequest = {
  provider: FakeProvider;
  model: string;
  system: string;
  texts: string[];
  /** Decoded image bytes, in the order they were sent. */
  images: Buffer[];
  headers: IncomingMessage["headers"];
  raw: unknown;
};

/**
 * `usage`: tokens to report; "estimate" derives them from the request and reply sizes (see
 * estimateUsage), null leaves usage out of the body as some servers do. `raw` sends a body as it
 * is (an HTML error page with status 200, a truncated body). `delayMs` holds the answer back (a
 * hanging call); a client that gives up first simply closes the socket.
 */
export type FakeReply = (
  | {
      text: string;
      finishReason?: "stop" | "length";
      usage?: { input: number; output: number } | "estimate" | null;
    }
  | { status: number; retryAfter?: number | string; message?: string }
  | { raw: string; status?: number; contentType?: string }
) & { delayMs?: number };

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export type FakeProviders = {
  url: string;
  baseURLs: Record<FakeProvider, string>;
  /** Every request received, including ones answered with an error. */
  requests: FakeRequest[];
  close(): Promise<void>;
};

export type FakeOptions = {
  /** When set, a request without exactly this key (in the provider's own auth header) gets a 401. */
  apiKey?: string;
};

type Json = Record<string, unknown>;

function decodeDataUrl(url: string): Buffer {
  const match = /^data:[^;]+;base64,(.*)$/s.exec(url);
  if (!match) throw new Error(`not a base64 data URL: ${url.slice(0, 40)}`);
  return Buffer.from(match[1]!, "base64");
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c) => (c as Json)["text"] ?? "").join("");
  return "";
}

/** OpenAI chat completions (and every compatible server): content parts `text` and `image_url`. */
function decodeOpenAI(body: Json): Omit<FakeRequest, "provider" | "headers" | "raw"> {
  const messages = body["messages"] as Json[];
  const system = messages
    .filter((m) => m["role"] === "system" || m["role"] === "developer")
    .map((m) => textOf(m["content"]))
    .join("\n");
  const texts: string[] = [];
  const images: Buffer[] = [];
  for (const m of messages.filter((m) => m["role"] === "user")) {
    const content = m["content"];
    if (typeof content === "string") texts.push(content);
    else
      for (const part of content as Json[]) {
        if (part["type"] === "text") texts.push(part["text"] as string);
        if (part["type"] === "image_url")
          images.push(decodeDataUrl((part["image_url"] as Json)["url"] as string));
      }
  }
  return { model: body["model"] as string, system, texts, images };
}

/** Anthropic messages: `system` string or text blocks; content blocks `text` and base64 `image`. */
function decodeAnthropic(body: Json): Omit<FakeRequest, "provider" | "headers" | "raw"> {
  const texts: string[] = [];
  const images: Buffer[] = [];
  for (const m of (body["messages"] as Json[]).filter((m) => m["role"] === "user")) {
    const content = m["content"];
    if (typeof content === "string") texts.push(content);
    else
      for (const part of content as Json[]) {
        if (part["type"] === "text") texts.push(part["text"] as string);
        if (part["type"] === "image")
          images.push(Buffer.from((part["source"] as Json)["data"] as string, "base64"));
      }
  }
  return { model: body["model"] as string, system: textOf(body["system"]), texts, images };
}

/** Gemini generateContent: `systemInstruction.parts`, user parts `text` and `inlineData`. */
function decodeGoogle(body: Json, model: string): Omit<FakeRequest, "provider" | "headers" | "raw"> {
  const texts: string[] = [];
  const images: Buffer[] = [];
  for (const c of (body["contents"] as Json[]).filter((c) => c["role"] === "user")) {
    for (const part of c["parts"] as Json[]) {
      if (typeof part["text"] === "string") texts.push(part["text"]);
      if (part["inlineData"])
        images.push(Buffer.from((part["inlineData"] as Json)["data"] as string, "base64"));
    }
  }
  const instruction = body["systemInstruction"] as Json | undefined;
  const system = instruction ? textOf(instruction["parts"]) : "";
  return { model, system, texts, images };
}

function presentedKey(provider: FakeProvider, headers: IncomingMessage["headers"]): string | undefined {
  if (provider === "anthropic") return headers["x-api-key"] as string | undefined;
  if (provider === "google") return headers["x-goog-api-key"] as string | undefined;
  return (headers.authorization as string | undefined)?.replace(/^Bearer /, "");
}

function errorBody(provider: FakeProvider, status: number, message: string): Json {
  if (provider === "anthropic") {
    const type = status === 401 ? "authentication_error" : status === 429 ? "rate_limit_error" : "api_error";
    return { type: "error", error: { type, message } };
  }
  if (provider === "google") return { error: { code: status, message, status: "ERROR" } };
  return { error: { message, type: "error", code: String(status) } };
}

/** Image tokens as Anthropic documents them (width × height / 750), from the PNG header. */
function imageTokens(png: Buffer): number {
  if (png.length < 24 || png.toString("latin1", 12, 16) !== "IHDR") return 1000;
  return Math.ceil((png.readUInt32BE(16) * png.readUInt32BE(20)) / 750);
}

/**
 * Tokens as a real provider would roughly count them: four characters of text per token plus each
 * image's tokens. The agent's cost measurements (scripts/bench-agent-cost.ts) rest on this.
 */
export function estimateUsage(request: FakeRequest, reply: string): { input: number; output: number } {
  const chars = request.system.length + request.texts.reduce((n, t) => n + t.length, 0);
  const images = request.images.reduce((n, png) => n + imageTokens(png), 0);
  return { input: Math.ceil(chars / 4) + images, output: Math.ceil(reply.length / 4) };
}

function successBody(request: FakeRequest, reply: Extract<FakeReply, { text: string }>): Json {
  const { provider, model } = request;
  const usage =
    reply.usage === "estimate"
      ? estimateUsage(request, reply.text)
      : reply.usage === undefined
        ? { input: 100, output: 20 }
        : reply.usage;
  const finish = reply.finishReason ?? "stop";
  if (provider === "anthropic") {
    return {
      type: "message",
      id: "msg_fake",
      role: "assistant",
      model,
      content: [{ type: "text", text: reply.text }],
      stop_reason: finish === "stop" ? "end_turn" : "max_tokens",
      stop_sequence: null,
      // Anthropic always reports usage; "unknown" usage is a zero-less shape the SDK maps to undefined.
      usage: usage ? { input_tokens: usage.input, output_tokens: usage.output } : {},
    };
  }
  if (provider === "google") {
    return {
      candidates: [
        {
          content: { role: "model", parts: [{ text: reply.text }] },
          finishReason: finish === "stop" ? "STOP" : "MAX_TOKENS",
        },
      ],
      ...(usage && {
        usageMetadata: {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        },
      }),
    };
  }
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: reply.text }, finish_reason: finish }],
    ...(usage && {
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      },
    }),
  };
}

function route(method: string, path: string): { provider: FakeProvider; model?: string } | null {
  if (method !== "POST") return null;
  if (path === "/v1/chat/completions") return { provider: "openai" };
  if (path === "/compat/v1/chat/completions") return { provider: "openai-compatible" };
  if (path === "/v1/messages") return { provider: "anthropic" };
  const gemini = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(path);
  return gemini ? { provider: "google", model: decodeURIComponent(gemini[1]!) } : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeProviders(
  handler: FakeHandler,
  options: FakeOptions = {},
): Promise<FakeProviders> {
  const requests: FakeRequest[] = [];

  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const target = route(req.method ?? "GET", path);
      if (!target) return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
      const raw = JSON.parse(await readBody(req)) as Json;
      const decoded =
        target.provider === "anthropic"
          ? decodeAnthropic(raw)
          : target.provider === "google"
            ? decodeGoogle(raw, target.model!)
            : decodeOpenAI(raw);
      const request: FakeRequest = { provider: target.provider, ...decoded, headers: req.headers, raw };
      requests.push(request);

      if (options.apiKey !== undefined && presentedKey(target.provider, req.headers) !== options.apiKey) {
        return send(res, 401, errorBody(target.provider, 401, "invalid x-api-key"));
      }
      const reply = await handler(request);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      if ("raw" in reply) {
        res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "text/html" });
        return void res.end(reply.raw);
      }
      if ("status" in reply) {
        const headers: Record<string, string> =
          reply.retryAfter === undefined ? {} : { "retry-after": String(reply.retryAfter) };
        return send(
          res,
          reply.status,
          errorBody(target.provider, reply.status, reply.message ?? "scripted error"),
          headers,
        );
      }
      send(res, 200, successBody(request, reply));
    } catch (e) {
      // A client that gave up (timeout test) closes the socket; nothing to answer then.
      if (!res.headersSent && !res.destroyed) send(res, 500, { error: { message: String(e) } });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURLs: {
      openai: `${url}/v1`,
      "openai-compatible": `${url}/compat/v1`,
      anthropic: `${url}/v1`,
      google: `${url}/v1beta`,
    },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
