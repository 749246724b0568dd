import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { loadImage } from "../src/image/load.ts";
import { resizeTo } from "../src/image/resize.ts";
import { rgbImage } from "../src/image/types.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { BudgetMeter } from "../src/offline/budget.ts";
import { RenderEvaluator } from "../src/offline/evaluator.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";
import { tuneStage } from "../src/offline/tune-stage.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { keysOwnedBy } from "../src/program/ownership.ts";
import { parseProgram } from "../src/program/parse.ts";
import { createRandom } from "../src/random.ts";
import { lightingStage } from "../src/stages/lighting.ts";
import { materialStage } from "../src/stages/material.ts";
import { renderProgram } from "./support/blender.ts";
import { renderClevrTarget } from "./support/clevr-target.ts";
import { expectFinishedOfflineRun } from "./support/run-folder-checks.ts";

let dir: string;
let target: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-offline-"));
  // CLIP/DINO are asked for (the default) but their models folder is deliberately missing, the
  // cache empty and downloads off: they are unavailable for that reason, not because the network is.
  vi.stubEnv("SEIG_MODELS_DIR", path.join(dir, "models-missing"));
  vi.stubEnv("SEIG_CACHE_DIR", path.join(dir, "cache-empty"));
  vi.stubEnv("HF_HUB_OFFLINE", "1");
  target = await renderClevrTarget(dir, 11);
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const tiny = { ...DEFAULT_OFFLINE, finalSide: 96, finalSamples: 16, workingSide: 96 };

function psnr(a: Parameters<typeof mse>[0], b: Parameters<typeof mse>[1]): number {
  return psnrFromMse(mse(a, b));
}

describe("offline reconstruction", () => {
  it("beats its own scaffold and a flat mean-colour image, and writes a complete run folder", async () => {
    const out = path.join(dir, "run");
    const result = await reconstructOffline({
      ...tiny,
      image: target,
      outDir: out,
      // About 100 of them initialisation, which the budget counts.
      budget: { kind: "renders", renders: 230 },
    });
    const targetImg = await loadImage(target, { maxSide: 0 });
    const final = await loadImage(path.join(out, "final.png"), { maxSide: 0 });
    const mean = [0, 1, 2].map(
      (c) =>
        targetImg.data.filter((_, i) => i % 3 === c).reduce((a, v) => a + v, 0) /
        (targetImg.width * targetImg.height),
    );
    const flat = rgbImage(
      targetImg.width,
      targetImg.height,
      Float32Array.from(targetImg.data, (_, i) => mean[i % 3]!),
      "flat",
    );
    const scaffoldRender = path.join(dir, "scaffold.png");
    await renderProgram(path.join(out, "stages/scaffold/program.py"), scaffoldRender, 96, 72, 16);
    const scaffold = await loadImage(scaffoldRender, { maxSide: 0 });
    expect(psnr(targetImg, final)).toBeGreaterThan(psnr(targetImg, flat));
    expect(psnr(targetImg, final)).toBeGreaterThan(psnr(targetImg, scaffold));
    expect(result.metrics.lpips).not.toBeNull();
    const size = { width: 96, height: 72 };
    const { metrics: file } = await expectFinishedOfflineRun(out, {
      final: size,
      working: size,
      stages: ["geometry", "material", "composition", "lighting"],
    });
    expect(file.final).toEqual(result.metrics);
    const report = await readFile(path.join(out, "report.html"), "utf8");
    expect(report).toContain("data:image/png;base64,");
    expect(report).toContain('class="hljs-');
    const metrics = JSON.parse(await readFile(path.join(out, "metrics.json"), "utf8"));
    expect(metrics.method).toBe("offline");
    // The flat-image baseline: this scene is what the method is for, so no warning.
    expect(metrics.flat.weak).toBe(false);
    expect(metrics.flat.psnrGainDb).toBeGreaterThan(2);
    expect(metrics.flat.warning).toBeNull();
    expect(result.flat.flat.psnr).toBeCloseTo(psnr(targetImg, flat), 4);
    // Asked for, unavailable, and saying why: the missing folder, the empty cache, downloads off.
    expect(metrics.final.clip).toBeNull();
    expect(metrics.final.unavailable.clip).toContain(
      `not found in ${path.join(dir, "models-missing", "Xenova/clip-vit-base-patch32")} or ${path.join(dir, "cache-empty", "models", "Xenova/clip-vit-base-patch32")} and downloads are off`,
    );

    // program.py renders itself, standalone, to the same pixels as final.png.
    const again = path.join(dir, "again.png");
    await renderProgram(path.join(out, "program.py"), again, 96, 72, 16, 0);
    const a = await sharp(path.join(out, "final.png")).raw().toBuffer();
    const b = await sharp(again).raw().toBuffer();
    expect(b.equals(a)).toBe(true);
  }, 240_000);

  it("a stage never returns a worse loss than it started with, even when its coarse rounds mislead", async () => {
    const source = emitProgram(clevrScene(createRandom(11)).spec);
    const pool = await BlenderPool.start({ size: 2 });
    try {
      const working = {
        name: "working",
        target: await resizeTo(await loadImage(target, { maxSide: 0 }), 48, 36),
        samples: 2,
      };
      // A coarse level whose target is a white page: what improves there (more light) is worse
      // at the working level, where the stage started from the very scene of the photo.
      const white = rgbImage(24, 18, new Float32Array(24 * 18 * 3).fill(1), "white");
      const coarse = { name: "coarse", target: white, samples: 2 };
      const evaluator = new RenderEvaluator(pool, pool.workDir, 0);
      const [first] = await evaluator.score([{ body: programBody(source), params: {} }], working);
      const kept: string[] = [];
      const result = await tuneStage(
        {
          evaluator,
          // Room for the coarse rounds only: the stage ends at the coarse level.
          budget: new BudgetMeter(24, "renders"),
          levels: [coarse, working],
          seed: 1,
          progress: () => {},
          onImprove: async (inc) => {
            kept.push(inc.source);
          },
        },
        lightingStage,
        { source, loss: first!.loss, image: first!.image, level: working },
      );
      // The coarse search did move the light (it kept programs), and yet the stage gives back its start.
      expect(kept.length).toBeGreaterThan(0);
      expect(result.level).toBe(working);
      expect(result.loss).toBeLessThanOrEqual(first!.loss);
      expect(result.source).toBe(source);
      expect(kept.at(-1)).toBe(source);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("a stage changes only the PARAMS it owns, moves (closed-form colour, finish) included", async () => {
    const spec = clevrScene(createRandom(5)).spec;
    const source = emitProgram(spec);
    const pool = await BlenderPool.start({ size: 2 });
    try {
      const targetImg = await resizeTo(await loadImage(target, { maxSide: 0 }), 48, 36);
      const level = { name: "working", target: targetImg, samples: 2 };
      const evaluator = new RenderEvaluator(pool, pool.workDir, 0);
      const [first] = await evaluator.score([{ body: programBody(source), params: {} }], level);
      const result = await tuneStage(
        {
          evaluator,
          budget: new BudgetMeter(40, "renders"),
          levels: [level],
          seed: 1,
          progress: () => {},
          moves: true,
        },
        materialStage,
        { source, loss: first!.loss, image: first!.image, level },
      );
      const before = parseProgram(source);
      const after = parseProgram(result.source);
      const owned = new Set(keysOwnedBy(before, "material"));
      const changed = Object.keys(before.params).filter(
        (k) => JSON.stringify(before.params[k]) !== JSON.stringify(after.params[k]),
      );
      expect(changed.length).toBeGreaterThan(0);
      for (const key of changed) expect(owned.has(key)).toBe(true);
      expect(result.loss).toBeLessThan(first!.loss);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
