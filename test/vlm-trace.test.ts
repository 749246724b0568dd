import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVlmClient, type VlmRequest } from "../src/vlm/client.ts";
import { imagePart, sha256Hex, textPart } from "../src/vlm/message.ts";
import { ReplayDivergenceError } from "../src/vlm/replay.ts";
import { readTrace, type TraceEntry, TraceRecorder } from "../src/vlm/trace.ts";
import { startFakeProviders } from "./support/fake-providers.ts";

let dir: string;
let photo: string;
let render: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seig-trace-"));
  photo = join(dir, "photo.png");
  render = join(dir, "render.png");
  await sharp({ create: { width: 32, height: 32, channels: 3, background: "#3060c0" } })
    .png()
    .toFile(photo);
  await sharp({ create: { width: 32, height: 32, channels: 3, background: "#c06030" } })
    .png()
    .toFile(render);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const calls: VlmRequest[] = [
  { purpose: "scene-graph", system: "List objects.", parts: [imagePart("Target photo:", "PHOTO")] },
  {
    purpose: "verify:geometry",
    system: "Compare.",
    parts: [
      textPart("Round 1."),
      imagePart("Target photo:", "PHOTO"),
      imagePart("Current render:", "RENDER"),
    ],
  },
];

function withPaths(req: VlmRequest): VlmRequest {
  return {
    ...req,
    parts: req.parts.map((p) =>
      p.type === "image" ? { ...p, path: p.path === "PHOTO" ? photo : render } : p,
    ),
  };
}

async function recordRun(runDir: string): Promise<string[]> {
  let n = 0;
  const fake = await startFakeProviders((req) => ({ text: `answer ${++n} to ${req.texts.at(-1)}` }), {
    apiKey: "k",
  });
  try {
    const trace = await TraceRecorder.open(runDir);
    const client = await createVlmClient({
      spec: "anthropic:claude-opus-4-7",
      env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: fake.baseURLs.anthropic },
      trace,
    });
    const texts: string[] = [];
    for (const call of calls) texts.push((await client.complete(withPaths(call))).text);
    return texts;
  } finally {
    await fake.close();
  }
}

describe("trace record and replay", () => {
  it("records one line per call with images stored once by hash", async () => {
    const runDir = join(dir, "run-record");
    await recordRun(runDir);
    const entries = await readTrace(join(runDir, "trace.jsonl"));
    expect(entries.map((e) => [e.seq, e.purpose, e.model])).toEqual([
      [1, "scene-graph", "anthropic:claude-opus-4-7"],
      [2, "verify:geometry", "anthropic:claude-opus-4-7"],
    ]);
    const photoHash = sha256Hex(await readFile(photo));
    expect(entries[1]!.request.parts).toEqual([
      { text: "Round 1." },
      { label: "Target photo:", image: `${photoHash}.png` },
      { label: "Current render:", image: `${sha256Hex(await readFile(render))}.png` },
    ]);
    expect(entries[0]!.response.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
    expect(entries[0]!.costUsd).toBeGreaterThan(0);
    // The photo was sent twice but is stored once.
    expect((await readdir(join(runDir, "trace-images"))).sort()).toHaveLength(2);
    expect(await readFile(join(runDir, "trace-images", `${photoHash}.png`))).toEqual(await readFile(photo));
  });

  it("replays identical answers with no server, at zero cost", async () => {
    const runDir = join(dir, "run-replay");
    const recorded = await recordRun(runDir);
    const client = await createVlmClient({ spec: `replay:${join(runDir, "trace.jsonl")}`, env: {} });
    expect(client.model).toBe(`replay:${join(runDir, "trace.jsonl")}`);
    const replayed = [];
    for (const call of calls) replayed.push(await client.complete(withPaths(call)));
    expect(replayed.map((r) => r.text)).toEqual(recorded);
    expect(replayed.map((r) => r.costUsd)).toEqual([0, 0]);
    expect(replayed[0]!.model).toBe("anthropic:claude-opus-4-7");
    expect(replayed[0]!.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
  });

  it("replays through the same middleware path: a traced replay records the same conversation", async () => {
    const runDir = join(dir, "run-replay-traced");
    await recordRun(runDir);
    const replayDir = join(dir, "run-replay-traced-again");
    const client = await createVlmClient({
      spec: `replay:${join(runDir, "trace.jsonl")}`,
      trace: await TraceRecorder.open(replayDir),
    });
    for (const call of calls) await client.complete(withPaths(call));
    const strip = ({ ms: _ms, costUsd: _cost, ...rest }: TraceEntry) => rest;
    const recorded = await readTrace(join(runDir, "trace.jsonl"));
    const replayed = await readTrace(join(replayDir, "trace.jsonl"));
    expect(replayed.map(strip)).toEqual(recorded.map(strip));
    expect(replayed.map((e) => e.costUsd)).toEqual([0, 0]);
    expect((await readdir(join(replayDir, "trace-images"))).sort()).toEqual(
      (await readdir(join(runDir, "trace-images"))).sort(),
    );
  });

  it("detects a different purpose, a changed prompt, and calls beyond the trace", async () => {
    const runDir = join(dir, "run-diverge");
    await recordRun(runDir);
    const spec = `replay:${join(runDir, "trace.jsonl")}`;

    const wrongPurpose = await createVlmClient({ spec });
    await expect(wrongPurpose.complete(withPaths({ ...calls[0]!, purpose: "scaffold" }))).rejects.toThrow(
      'replay diverged at call #1: the trace recorded "scene-graph" but the run asks for "scaffold"',
    );

    const changedPrompt = await createVlmClient({ spec });
    await changedPrompt.complete(withPaths(calls[0]!));
    const edited = { ...calls[1]!, parts: [textPart("Round 2."), ...calls[1]!.parts.slice(1)] };
    const error = await changedPrompt.complete(withPaths(edited)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayDivergenceError);
    expect((error as Error).message).toContain("call #2 (verify:geometry): the prompt differs");

    const tooMany = await createVlmClient({ spec });
    for (const call of calls) await tooMany.complete(withPaths(call));
    await expect(tooMany.complete(withPaths(calls[0]!))).rejects.toThrow("replay diverged at call #3");
  });

  it("continues sequence numbers when a run's trace is reopened", async () => {
    const runDir = join(dir, "run-resume");
    await recordRun(runDir);
    const trace = await TraceRecorder.open(runDir);
    expect(trace.reserveSeq()).toBe(3);
  });

  it("a missing trace is a one-line input error", async () => {
    await expect(createVlmClient({ spec: `replay:${join(dir, "nope.jsonl")}` })).rejects.toThrow(
      /^cannot read trace .*nope\.jsonl \(ENOENT\): check the path$/,
    );
  });
});
