import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vlmMethod } from "../src/bench/agent-method.ts";
import { builtinMethods, resolveMethod } from "../src/bench/methods.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { type FakeProviders, startFakeProviders } from "./support/fake-providers.ts";
import { createOracle, type Oracle } from "./support/oracle.ts";
import { renderTruth, TWO_THINGS } from "./support/oracle-scene.ts";
import { runSeig } from "./support/run-cli.ts";

let root: string;
let benchDir: string;
let oracle: Oracle;
let fake: FakeProviders;
/** Points every CLI run at the fake OpenAI server. */
let env: Record<string, string>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-agent-bench-"));
  benchDir = path.join(root, "bench");
  await mkdir(benchDir);
  const pool = await BlenderPool.start({ size: 1, writableDirs: [root] });
  try {
    const target = await renderTruth(pool, TWO_THINGS, path.join(root, "truth"), {
      width: 64,
      height: 48,
      samples: 8,
    });
    await copyFile(target, path.join(benchDir, "two-things.png"));
  } finally {
    await pool.close();
  }
  oracle = createOracle({ truth: TWO_THINGS });
  fake = await startFakeProviders(oracle.handler);
  env = { OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.baseURLs.openai };
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await rm(root, { recursive: true, force: true });
});

async function sceneScore(out: string) {
  return JSON.parse(await readFile(path.join(out, "scenes", "two-things", "score.json"), "utf8"));
}

describe("seig bench run with a VLM method", () => {
  it("resolves any model spec to the agent and refuses the vlm method without a model", async () => {
    const resolved = resolveMethod(builtinMethods(), "anthropic:claude-sonnet-4-5");
    expect(resolved?.model).toBe("anthropic:claude-sonnet-4-5");
    expect(builtinMethods().has("vlm")).toBe(true);
    expect(resolveMethod(builtinMethods(), "no-such-method")).toBeNull();
    await expect(
      vlmMethod()("x.png", path.join(root, "none"), { seed: 0, pool: undefined as never }),
    ).rejects.toThrow(/needs a model/);
    await expect(
      vlmMethod()("x.png", path.join(root, "none"), {
        seed: 0,
        pool: undefined as never,
        model: "openai:gpt-4o",
        budget: "40",
      }),
    ).rejects.toThrow(/only with --tune/);
  });

  // Wiring through `bench run`, not a quality claim: the oracle double's one-shot reply is its
  // perturbed draft and its staged replies fix what the checklist names, so the +3 dB only shows
  // that the staged run's fixes reach the scored results.
  it("runs the staged agent and the one-shot baseline through bench run and scores both", async () => {
    const staged = path.join(root, "staged");
    const oneShot = path.join(root, "one-shot");
    const a = await runSeig(["bench", "run", benchDir, "--method", "openai:gpt-4o", "-o", staged], env);
    expect(a.code, a.stderr).toBe(0);
    const b = await runSeig(
      ["bench", "run", benchDir, "--method", "one-shot", "--model", "openai:gpt-4o", "-o", oneShot],
      env,
    );
    expect(b.code, b.stderr).toBe(0);
    expect(oracle.problems).toEqual([]);

    const [s, o] = [await sceneScore(staged), await sceneScore(oneShot)];
    expect(s.error).toBeUndefined();
    expect(o.error).toBeUndefined();
    expect(s.values.psnr).toEqual(expect.any(Number));
    expect(s.values.psnr).toBeGreaterThan(o.values.psnr + 3);
    // The stage curve comes from the agent's run.json and metrics.json, with
    // the scaffold first like the offline method's.
    expect(s.stages.map((p: { stage: string }) => p.stage)).toEqual([
      "scaffold",
      "geometry",
      "material",
      "composition",
      "lighting",
    ]);
    expect(s.stages.at(-1).renders).toBeGreaterThan(0);
    const run = JSON.parse(await readFile(path.join(oneShot, "scenes", "two-things", "run.json"), "utf8"));
    expect(run.method).toBe("vlm-one-shot");
    const results = JSON.parse(await readFile(path.join(staged, "results.json"), "utf8"));
    expect(JSON.stringify(results)).toContain("two-things");
  }, 120_000);
});
