import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../src/agent/run-agent.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import type { SceneSpecInput } from "../src/program/scene-spec.ts";
import { STAGES } from "../src/program/sections.ts";
import { startFakeProviders } from "./support/fake-providers.ts";
import { createOracle } from "./support/oracle.ts";

const TRUTH: SceneSpecInput = {
  objects: [
    {
      name: "box",
      shape: "cube",
      size: [1.2, 1.2, 1.2],
      location: [-0.8, 0.2, 0.6],
      color: [0.8, 0.15, 0.1],
      roughness: 0.6,
    },
    {
      name: "ball",
      shape: "sphere",
      size: [1, 1, 1],
      location: [0.9, -0.3, 0.5],
      color: [0.1, 0.3, 0.85],
      roughness: 0.3,
    },
  ],
  camera: { location: [5.5, -6, 4.2], lookAt: [0, 0, 0.5], lensMm: 40 },
  sun: { elevationDeg: 40, azimuthDeg: 200, strength: 4 },
  world: { color: [0.55, 0.65, 0.8], strength: 0.8 },
  ground: { color: [0.45, 0.45, 0.42] },
};

let root: string;
let pool: BlenderPool;
let targetPng: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-agent-tune-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [root] });
  const reply = await pool.run({
    body: programBody(emitProgram(TRUTH)),
    outDir: path.join(root, "truth"),
    render: { width: 64, height: 48, samples: 8, views: [{ name: "target" }] },
  });
  targetPng = reply.images[0]!.path;
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
});

describe("the agent with --tune", () => {
  it("records each stage's PSNR and loss before and after tuning, and tuning never makes a loss worse", async () => {
    const oracle = createOracle({ truth: TRUTH });
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
