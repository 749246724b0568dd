import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compareRuns, readRun } from "../src/bench/compare.ts";
import { generateSuite } from "../src/bench/generate.ts";
import type { Method } from "../src/bench/methods.ts";
import { writeBenchOutputs } from "../src/bench/outputs.ts";
import { runBench, type SceneScore } from "../src/bench/run.ts";
import { listScenes } from "../src/bench/scenes.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { main } from "../src/cli/main.ts";
import { createMetricModels, type MetricModels } from "../src/metrics/metric-models.ts";
import { PSNR_CAP_DB } from "../src/metrics/psnr.ts";
import { programBody } from "../src/program/assemble.ts";

const GENERATE_SAMPLES = 8;

/** A "method" that re-renders the scene's own ground-truth program: the oracle. */
function oracle(samples: number): Method {
  return async (target, outDir, { pool }) => {
    const source = await readFile(path.join(path.dirname(target), "program.py"), "utf8");
    await copyFile(path.join(path.dirname(target), "program.py"), path.join(outDir, "program.py"));
    const reply = await pool.run({
      body: programBody(source),
      outDir,
      render: { width: 320, height: 240, samples, seed: 0, views: [{ name: "final" }] },
    });
    if (!reply.ok) throw new Error(reply.error?.message);
  };
}

describe("bench run", () => {
  let dir: string;
  let pool: BlenderPool;
  let models: MetricModels;
  const bench = () => path.join(dir, "suite");
  const run = async (name: string, method: Method) => {
    const outDir = path.join(dir, name);
    const scores = await runBench(await listScenes(bench()), {
      outDir,
      method,
      methodOptions: { seed: 0 },
      pool,
      models,
      concurrency: 2,
    });
    await writeBenchOutputs(outDir, scores, {
      method: name,
      benchDir: bench(),
      command: "test",
      options: {},
    });
    return { outDir, scores };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-run-"));
    pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
    models = createMetricModels({ semantic: false });
    await generateSuite(pool, { suite: "clevr", n: 2, seed: 4, outDir: bench(), samples: GENERATE_SAMPLES });
  });
  afterAll(async () => {
    await models.close();
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("scores a ground-truth program against itself with capped PSNR and zero 3D error", async () => {
    const { scores } = await run("self", oracle(GENERATE_SAMPLES));
    expect(scores.map((s) => s.scene)).toEqual(["clevr_000", "clevr_001"]);
    for (const s of scores) {
      expect(s.error).toBeUndefined();
      expect(s.values["psnr"]).toBe(PSNR_CAP_DB);
      expect(s.metrics?.psnrCapped).toBe(true);
      expect(s.values["ssim"]).toBeCloseTo(1, 6);
      expect(s.values["countAcc"]).toBe(1);
      expect(s.values["recall"]).toBe(1);
      expect(s.values["positionErr"]).toBe(0);
      expect(s.values["imageErr"]).toBe(0);
      expect(s.values["sizeErr"]).toBe(0);
      expect(s.values["colorDE"]).toBe(0);
      expect(s.values["materialAcc"]).toBe(1);
      expect(s.values["shapeAcc"]).toBe(1);
      expect(s.values["silIoU"]).toBe(1);
      expect(s.values["fgIoU"]).toBe(1);
    }
  });

  it("writes every output, resumes without redoing scenes, and agrees with seig eval", async () => {
    const method = vi.fn(oracle(2));
    const { outDir, scores } = await run("noisy", method);
    expect(method).toHaveBeenCalledTimes(2);
    for (const f of [
      "results.json",
      "results.csv",
      "results.md",
      "index.html",
      "plots/psnr_per_scene.svg",
      "plots/psnr_per_scene.png",
    ]) {
      expect((await stat(path.join(outDir, f))).size).toBeGreaterThan(100);
    }
    const csv = await readFile(path.join(outDir, "results.csv"), "utf8");
    expect(csv.split("\n")[0]).toMatch(/^scene,psnr,ssim,lpips,countAcc/);
    const html = await readFile(path.join(outDir, "index.html"), "utf8");
    expect(html).toContain('src="scenes/clevr_001/final.png"');
    expect(html).toMatch(/(\d+)\/\1 found \(/);

    for (const score of scores as SceneScore[]) {
      const psnr = score.values["psnr"]!;
      expect(psnr).toBeGreaterThan(15);
      expect(psnr).toBeLessThan(PSNR_CAP_DB);
      const printed: string[] = [];
      const spy = vi.spyOn(console, "log").mockImplementation((t: string) => void printed.push(t));
      const code = await main([
        "node",
        "seig",
        "eval",
        score.target,
        path.dirname(score.render!),
        "--json",
        "--no-semantic",
      ]);
      spy.mockRestore();
      expect(code).toBe(0);
      const report = JSON.parse(printed.join("\n"));
      expect(report.psnr).toBe(psnr);
      expect(report.ssim).toBe(score.values["ssim"]);
      expect(report.lpips).toBe(score.values["lpips"]);
    }

    // A score from before the camera-space errors is rescored, not reconstructed again.
    const oldScore = path.join(outDir, "scenes", "clevr_000", "score.json");
    const old = JSON.parse(await readFile(oldScore, "utf8"));
    await writeFile(oldScore, JSON.stringify({ ...old, errors3d: { sceneExtent: 3 }, values: {} }));
    const again = vi.fn(oracle(2));
    const resumed = await run("noisy", again);
    expect(again).not.toHaveBeenCalled();
    expect(resumed.scores.map((s) => s.values)).toEqual(scores.map((s) => s.values));

    const compared = compareRuns([await readRun(path.join(dir, "self")), await readRun(outDir)]);
    const psnrRow = compared.find((c) => c.column.key === "psnr")!;
    expect(psnrRow.perRun.map((p) => p.wins)).toEqual([2, 0]);
    expect(psnrRow.perRun[0]!.mean).toBe(PSNR_CAP_DB);
  });
});
