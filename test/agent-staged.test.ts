import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgentInterrupted,
  type AgentResult,
  type AgentRuntime,
  resumeAgent,
  runAgent,
} from "../src/agent/run-agent.ts";
import type { AgentSettingsInput } from "../src/agent/settings.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { parseProgram } from "../src/program/parse.ts";
import type { ProgressEvent } from "../src/run/events.ts";
import { readTrace, type TraceEntry } from "../src/vlm/trace.ts";
import { type FakeProviders, startFakeProviders } from "./support/fake-providers.ts";
import { createOracle, GEOMETRY_EDIT_MARK, type Oracle, type OracleOptions } from "./support/oracle.ts";
import { renderTruth, THREE_THINGS } from "./support/oracle-scene.ts";

let root: string;
let pool: BlenderPool;
let targetPng: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-agent-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [root] });
  targetPng = await renderTruth(pool, THREE_THINGS, path.join(root, "truth"), {
    width: 64,
    height: 48,
    samples: 16,
  });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
});

function settings(
  name: string,
  extra: Partial<AgentSettingsInput> = {},
): AgentSettingsInput & { outDir: string } {
  return {
    image: targetPng,
    outDir: path.join(root, name),
    model: "openai:gpt-4o",
    verifierModel: "anthropic:claude-sonnet-4-5",
    scaffolds: 2,
    rounds: { geometry: 2, material: 2, composition: 2, lighting: 1 },
    repairLimit: 2,
    workingSide: 64,
    samples: 4,
    finalSide: 64,
    finalSamples: 4,
    ...extra,
  };
}

async function withOracle<T>(
  options: Partial<OracleOptions>,
  run: (runtime: AgentRuntime, oracle: Oracle, fake: FakeProviders) => Promise<T>,
) {
  const oracle = createOracle({ truth: THREE_THINGS, ...options });
  const fake = await startFakeProviders(oracle.handler);
  const runtime: AgentRuntime = {
    pool,
    env: {
      OPENAI_API_KEY: "test",
      OPENAI_BASE_URL: fake.baseURLs.openai,
      ANTHROPIC_API_KEY: "test",
      ANTHROPIC_BASE_URL: fake.baseURLs.anthropic,
    },
    client: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
  };
  try {
    return await run(runtime, oracle, fake);
  } finally {
    await fake.close();
  }
}

describe("the staged VLM agent against the oracle", () => {
  let staged: AgentResult;

  it("runs all four stages, fixes the scaffold's errors and records every call", async () => {
    const events: ProgressEvent[] = [];
    staged = await withOracle({}, async (runtime, oracle) => {
      const result = await runAgent(settings("staged"), { ...runtime, progress: (e) => events.push(e) });
      expect(oracle.problems).toEqual([]);
      // The wiring under test: the verifier's checklist after geometry round 1 is quoted in the
      // round-2 generator prompt (the oracle only fixes objects a prompt's checklist names).
      const verdict = oracle.prompts.get("verify:geometry")!;
      const round2 = oracle.prompts.get("stage:geometry")!.at(-1)!;
      expect(verdict.length).toBeGreaterThanOrEqual(2);
      expect(round2).toContain("Verifier checklist from the previous round (fix these)");
      expect(round2).toMatch(/"problem": "\w+\.\w+ does not match the photo"/);
      return result;
    });
    // Progress for a page: each round's model use so far, and the render of every accepted round.
    const rounds = events.filter((e) => e.type === "iteration");
    expect(rounds.length).toBeGreaterThan(0);
    for (const r of rounds) expect(r.tokens, "tokens on an iteration event").toBeGreaterThan(0);
    expect(rounds.at(-1)!.elapsedSeconds).toBeGreaterThan(0);
    const bests = events.filter((e) => e.type === "best");
    expect(bests.length).toBeGreaterThan(0);
    for (const b of bests) expect(b.image.startsWith(staged.outDir)).toBe(true);
    const state = staged.state;
    expect(Object.keys(state.stages)).toEqual(["geometry", "material", "composition", "lighting"]);
    expect(state.scaffolds?.chosen).toBe(2); // rollout 1 missed an object
    // Three objects, two checklist items per round: geometry needs a second round.
    expect(state.rounds.filter((r) => r.stage === "geometry").map((r) => r.outcome)).toEqual([
      "accepted",
      "accepted",
    ]);
    expect(state.stages["geometry"]).toMatchObject({ rounds: 2, approved: true });
    const program = parseProgram(staged.program);
    expect(program.params["box.size"]).toEqual([1.2, 1.2, 1.2]);
    expect(program.params["ball.color"]).toEqual([0.1, 0.3, 0.85]);
    const trace = (await readFile(path.join(staged.outDir, "trace.jsonl"), "utf8")).trim().split("\n");
    expect(trace.length).toBe(state.usage.total.calls);
    expect(state.usage.total.costUsd).toBeGreaterThan(0);
    const run = JSON.parse(await readFile(path.join(staged.outDir, "run.json"), "utf8"));
    expect(run.usage.total.calls).toBe(trace.length);
    expect(await readFile(path.join(staged.outDir, "report.html"), "utf8")).toContain("<h2>Rounds</h2>");
  }, 90_000);

  // Not a quality comparison: the oracle's one-shot reply is its perturbed draft, and its staged
  // replies fix exactly what the checklist names. So the PSNR gap only shows that the staged loop
  // applied those fixes (without them the staged result is the same draft and the gap is 0 dB)
  // and that the one-shot baseline is run and scored.
  it("scores the one-shot baseline in one call, below the staged loop that applied the oracle's fixes", async () => {
    const oneShot = await withOracle({}, (runtime) =>
      runAgent(settings("one-shot", { oneShot: true }), runtime),
    );
    expect(oneShot.metrics.psnr).toEqual(expect.any(Number));
    expect(staged.metrics.psnr!).toBeGreaterThan(oneShot.metrics.psnr! + 3);
    expect(oneShot.state.usage.total.calls).toBe(1);
  }, 60_000);

  it("rejects an out-of-scope material edit, repairs a raising candidate and retries a 429", async () => {
    await withOracle(
      { materialEditsGeometryOnce: true, geometryRaisesOnce: true, rateLimitOnce: true },
      async (runtime, oracle, fake) => {
        const result = await runAgent(settings("misbehaving"), runtime);
        expect(oracle.problems).toEqual([]);
        // 429 then success: one more request than answered calls.
        expect(fake.requests.length).toBe(result.state.usage.total.calls + 1);

        const material = result.state.rounds.filter((r) => r.stage === "material");
        const scope = material[0]!.steps;
        expect(scope[0]).toMatchObject({ call: "stage", outcome: "out-of-scope" });
        expect(scope[0]!.message).toMatch(/mesh \(shape or size\) of box, which the geometry stage owns/);
        expect(scope.at(-1)!.outcome).toBe("ok");
        expect(oracle.prompts.get("repair:material")![0]).toMatch(
          /mesh \(shape or size\) of box, which the geometry stage owns/,
        );
        expect(result.program).not.toContain(GEOMETRY_EDIT_MARK);

        const geometry = result.state.rounds.find((r) => r.stage === "geometry")!.steps;
        expect(geometry[0]).toMatchObject({ call: "stage", outcome: "error" });
        expect(geometry[0]!.message).toMatch(/KeyError/);
        expect(geometry[1]).toMatchObject({ call: "repair", outcome: "ok" });
        expect(oracle.prompts.get("repair:geometry")![0]).toMatch(
          /Line \d+ of the program is: bpy\.data\.objects\["no_such_object"\]/,
        );
        expect(result.program).not.toContain("no_such_object");
        // Repairs do not use up rounds.
        expect(result.state.stages["geometry"]!.rounds).toBeLessThanOrEqual(2);
      },
    );
  }, 90_000);

  it("replays a recorded run offline to the same program", async () => {
    const replay = await runAgent(
      settings("replay", { model: `replay:${path.join(staged.outDir, "trace.jsonl")}`, verifierModel: null }),
      { pool },
    );
    expect(replay.program).toBe(staged.program);
    expect(replay.state.usage.total.costUsd).toBe(0);
    // Replayed calls take the live path through the SDK and its middleware: the replaying run's own
    // trace records the same conversation, request by request (image bytes aside: renders may vary).
    // Concurrent calls are appended as they finish: compare in the order they were made.
    const conversation = (entries: TraceEntry[]) =>
      [...entries]
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({
          seq: e.seq,
          purpose: e.purpose,
          model: e.model,
          system: e.request.system,
          textSha256: e.request.textSha256,
          parts: e.request.parts.map((p) => ("text" in p ? p.text : p.label)),
          response: e.response,
        }));
    const recorded = await readTrace(path.join(staged.outDir, "trace.jsonl"));
    const replayed = await readTrace(path.join(replay.outDir, "trace.jsonl"));
    expect(conversation(replayed)).toEqual(conversation(recorded));
    expect(replayed.every((e) => e.costUsd === 0)).toBe(true);
  }, 60_000);

  it("resumes a run interrupted mid-stage and ends with the same result", async () => {
    await withOracle({}, async (runtime) => {
      const controller = new AbortController();
      let rounds = 0;
      const interrupted = runAgent(settings("resumed"), {
        ...runtime,
        signal: controller.signal,
        progress: (e) => {
          if (e.type === "iteration" && e.stage === "geometry" && ++rounds === 1) controller.abort();
        },
      });
      await expect(interrupted).rejects.toBeInstanceOf(AgentInterrupted);
      const saved = JSON.parse(await readFile(path.join(root, "resumed", "state.json"), "utf8"));
      expect(saved.stageIndex).toBe(0);
      expect(saved.stage.round).toBe(1);
      const resumed = await resumeAgent(path.join(root, "resumed"), runtime);
      expect(resumed.program).toBe(staged.program);
      expect(resumed.state.rounds.map((r) => [r.stage, r.round, r.outcome])).toEqual(
        staged.state.rounds.map((r) => [r.stage, r.round, r.outcome]),
      );
    });
  }, 90_000);
});
