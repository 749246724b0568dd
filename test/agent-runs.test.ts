/**
 * Runs that end early and what they leave behind, resume and replay of a resumed run, the cost
 * options (--dry-run, --max-cost, --max-tokens) and a 32K-context server — against the oracle
 * behind the localhost double (real HTTP, real Blender).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../src/agent/plan.ts";
import { AgentStopped, resumeAgent, runAgent } from "../src/agent/run-agent.ts";
import { AgentSettings } from "../src/agent/settings.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { readTrace } from "../src/vlm/trace.ts";
import { agentSettings, withOracle } from "./support/agent-harness.ts";
import { renderTruth, THREE_THINGS } from "./support/oracle-scene.ts";
import { runSeig } from "./support/run-cli.ts";

let root: string;
let pool: BlenderPool;
let targetPng: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-runs-"));
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

const settings = (name: string, extra = {}) => agentSettings(root, targetPng, name, extra);
const json = async (file: string) => JSON.parse(await readFile(file, "utf8"));

describe("a run that ends early", () => {
  it("says --resume, writes run.json with its spend, keeps every call in state.json; the resumed run's trace replays", async () => {
    const dir = path.join(root, "garbage");
    const failure = await withOracle(
      { pool },
      { transform: (c) => (c.name === "verify:material" ? { text: "<<< not json at all >>>" } : c.reply) },
      (runtime) => runAgent(settings("garbage"), runtime).catch((e: unknown) => e),
    );
    expect(failure).toBeInstanceOf(AgentStopped);
    const message = (failure as Error).message;
    expect(message).toMatch(/verify:material reply could not be used/);
    expect(message.endsWith(`continue it with: seig reconstruct --resume ${dir}`)).toBe(true);
    expect(message).not.toContain("\n");

    const calls = (await readTrace(path.join(dir, "trace.jsonl"))).length;
    const run = await json(path.join(dir, "run.json"));
    expect(run).toMatchObject({ status: "failed", resume: `seig reconstruct --resume ${dir}` });
    expect(run.usage.total.calls).toBe(calls);
    expect(run.usage.total.costUsd).toBeGreaterThan(0);
    expect((await json(path.join(dir, "state.json"))).usage.total.calls).toBe(calls);

    const resumed = await withOracle({ pool }, {}, (runtime) => resumeAgent(dir, runtime));
    const all = await readTrace(path.join(dir, "trace.jsonl"));
    const done = await json(path.join(dir, "run.json"));
    expect(done.status).toBe("done");
    expect(done.usage.total.calls).toBe(all.length);
    expect(done.usage.total.costUsd).toBeCloseTo(
      all.reduce((n, e) => n + (e.costUsd ?? 0), 0),
      10,
    );

    const replay = await runAgent(
      settings("garbage-replay", { model: `replay:${path.join(dir, "trace.jsonl")}`, verifierModel: null }),
      { pool },
    );
    expect(replay.program).toBe(resumed.program);
  }, 120_000);
});

describe("cost options", () => {
  it("--dry-run sends nothing and bounds the cost of the real run; --max-cost stops with the best program so far", async () => {
    await withOracle({ pool }, { contextTokens: 32_768 }, async (runtime, oracle, fake) => {
      const dir = path.join(root, "dry");
      const cli = await runSeig(
        ["reconstruct", targetPng, "-o", dir, "--model", "openai:gpt-4o", "--scaffolds", "2", "--dry-run"],
        { OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.baseURLs.openai },
      );
      expect(cli.code).toBe(0);
      expect(cli.stdout).toMatch(/estimated cost: at most \$\d+\.\d\d/);
      expect(fake.requests).toHaveLength(0);
      expect(existsSync(path.join(dir, "state.json"))).toBe(false);

      // A full run on a 32K-context server: every call's prompt + max_tokens fits.
      const full = await runAgent(settings("full", { verifierModel: null }), runtime);
      expect(oracle.problems).toEqual([]);
      const { outDir: _, ...rest } = settings("full", { verifierModel: null });
      const plan = await planRun(AgentSettings.parse(rest));
      const spent = full.state.usage.total.costUsd!;
      expect(full.state.usage.total.calls).toBeLessThanOrEqual(plan.totalCalls);
      expect(spent).toBeLessThanOrEqual(plan.maxCostUsd!);
      expect(plan.likelyCostUsd!).toBeGreaterThan(spent / 10);

      const budget = spent * 0.6;
      const capped = await runAgent(settings("capped", { verifierModel: null, maxCost: budget }), runtime);
      expect(capped.state.usage.total.costUsd!).toBeLessThanOrEqual(budget);
      expect(capped.state.usage.total.calls).toBeLessThan(full.state.usage.total.calls);
      expect(Number.isFinite(capped.metrics.psnr)).toBe(true);
      const run = await json(path.join(capped.outDir, "run.json"));
      expect(run).toMatchObject({ status: "done", reason: expect.stringMatching(/--max-cost budget/) });
      expect(existsSync(path.join(capped.outDir, "program.py"))).toBe(true);
    });
  }, 180_000);

  it("--max-tokens sets a role's output budget on the wire", async () => {
    await withOracle({ pool }, {}, async (runtime, _oracle, fake) => {
      await runAgent(
        settings("tokens", {
          stages: ["geometry"],
          rounds: { geometry: 1, material: 0, composition: 0, lighting: 0 },
          maxTokens: { scaffold: 5000, verify: 1500 },
        }),
        runtime,
      );
      const budgets = (tag: string) =>
        fake.requests
          .filter((r) => r.texts[0]!.startsWith(tag))
          .map((r) =>
            Number(
              (r.raw as { max_tokens?: number; max_completion_tokens?: number }).max_tokens ??
                (r.raw as { max_completion_tokens?: number }).max_completion_tokens,
            ),
          );
      expect(new Set(budgets("[seig:scaffold"))).toEqual(new Set([5000]));
      expect(new Set(budgets("[seig:verify"))).toEqual(new Set([1500]));
      expect(new Set(budgets("[seig:stage"))).toEqual(new Set([8000]));
    });
  }, 90_000);
});
