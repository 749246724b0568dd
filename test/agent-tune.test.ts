import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../src/agent/run-agent.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { STAGES } from "../src/stages/index.ts";
import { startFakeProviders } from "./support/fake-providers.ts";
import { createOracle } from "./support/oracle.ts";
import { renderTruth, TWO_THINGS } from "./support/oracle-scene.ts";

let root: string;
let pool: BlenderPool;
let targetPng: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-agent-tune-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [root] });
  targetPng = await renderTruth(pool, TWO_THINGS, path.join(root, "truth"), {
    width: 64,
    height: 48,
    samples: 8,
  });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
});

describe("the agent with --tune", () => {
  it("records each stage's PSNR and loss before and after tuning, and tuning never makes a loss worse", async () => {
    const oracle = createOracle({ truth: TWO_THINGS });
    const fake = await startFakeProviders(oracle.handler);
    const outDir = path.join(root, "tuned");
    try {
      // No VLM rounds: the scaffold's controlled errors are left for the numeric search.
      await runAgent(
        {
          image: targetPng,
          outDir,
          model: "openai:gpt-4o",
          scaffolds: 1,
          rounds: { geometry: 0, material: 0, composition: 0, lighting: 0 },
          workingSide: 64,
          samples: 4,
          finalSide: 64,
          finalSamples: 4,
          tune: true,
          tuneRenders: 10,
        },
        {
          pool,
          env: { OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.baseURLs.openai },
        },
      );
      expect(oracle.problems).toEqual([]);
    } finally {
      await fake.close();
    }
    const run = JSON.parse(await readFile(path.join(outDir, "run.json"), "utf8"));
    expect(run.method).toBe("vlm-staged+tune");
    const tuned = STAGES.map((stage) => run.stages[stage].tuned);
    for (const [i, t] of tuned.entries()) {
      expect(t, STAGES[i]).toMatchObject({
        psnrBefore: expect.any(Number),
        psnrAfter: expect.any(Number),
        renders: expect.any(Number),
      });
      expect(t.lossAfter, STAGES[i]).toBeLessThanOrEqual(t.lossBefore);
      expect(t.renders).toBeGreaterThan(0);
      expect(t.renders).toBeLessThanOrEqual(10);
      // The stage's result is the tuned one, and the next stage starts from it.
      expect(run.stages[STAGES[i]!].loss).toBe(t.lossAfter);
      if (i > 0) expect(t.lossBefore).toBe(tuned[i - 1].lossAfter);
    }
    // The scaffold's colours are wrong, so the material search finds a better scene.
    expect(tuned[1].lossAfter).toBeLessThan(tuned[1].lossBefore);
    expect(tuned[1].psnrAfter).toBeGreaterThan(tuned[1].psnrBefore);
    const metrics = JSON.parse(await readFile(path.join(outDir, "metrics.json"), "utf8"));
    expect(metrics.stages.material.tuned).toEqual(run.stages.material.tuned);
  }, 90_000);
});
