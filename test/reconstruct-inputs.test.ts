import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";
import { renderClevrTarget } from "./support/clevr-target.ts";
import { expectFinishedOfflineRun } from "./support/run-folder-checks.ts";

let dir: string;
let target: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-inputs-"));
  target = await renderClevrTarget(dir, 11);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The 96×72 target at the run's 64×48, composited over white: what every variant should become. */
async function expected(transform: (v: number) => number = (v) => v) {
  const img = await loadImage(target, { maxSide: 64 });
  return rgbImage(img.width, img.height, Float32Array.from(img.data, transform), "expected");
}

async function reconstruct(image: string) {
  const out = path.join(dir, `run-${path.basename(image)}`);
  const result = await reconstructOffline({
    ...DEFAULT_OFFLINE,
    finalSamples: 16,
    // CLIP/DINO are not what these runs test, and asking for them would probe the network.
    semanticMetrics: false,
    finalSide: 64,
    workingSide: 32,
    image,
    outDir: out,
    budget: { kind: "renders", renders: 40 },
    stages: ["geometry", "lighting"],
  });
  const { run } = await expectFinishedOfflineRun(out, {
    final: { width: 64, height: 48 },
    working: { width: 32, height: 24 },
    stages: ["geometry", "lighting"],
  });
  // Even a 40-render run must do better than the flat mean-colour image of its target.
  expect(result.metrics.psnr).toBeGreaterThan(result.flat.flat.psnr!);
  expect(result.flat.psnrGainDb).toBeGreaterThan(0);
  const runTarget = await loadImage(path.join(out, "target.png"), { maxSide: 0 });
  return { run, runTarget };
}

describe("offline reconstruction of awkward inputs", () => {
  it("a grayscale JPEG: the run's target is gray (R = G = B) and the photo's luminance", async () => {
    const gray = path.join(dir, "gray.jpg");
    await sharp(target).grayscale().jpeg({ quality: 95 }).toFile(gray);
    const { run, runTarget } = await reconstruct(gray);
    expect(run.target).toMatchObject({ originalWidth: 96, originalHeight: 72 });
    const d = runTarget.data;
    for (let i = 0; i < d.length; i += 3) {
      expect(d[i + 1]).toBe(d[i]);
      expect(d[i + 2]).toBe(d[i]);
    }
    // Rec. 709 luma of the colour target, within JPEG and resampling error.
    const colour = await expected();
    const luma = await expected();
    for (let i = 0; i < luma.data.length; i += 3) {
      const y = 0.2126 * colour.data[i]! + 0.7152 * colour.data[i + 1]! + 0.0722 * colour.data[i + 2]!;
      luma.data.fill(y, i, i + 3);
    }
    expect(psnrFromMse(mse(luma, runTarget))).toBeGreaterThan(25);
  }, 120_000);

  it("a PNG with 50 % alpha: the run's target is the photo composited over white", async () => {
    const alpha = path.join(dir, "alpha.png");
    await sharp(target).ensureAlpha(0.5).png().toFile(alpha);
    const { runTarget } = await reconstruct(alpha);
    const overWhite = await expected((v) => 0.5 * v + 0.5);
    expect(psnrFromMse(mse(overWhite, runTarget))).toBeGreaterThan(35);
    // Not the photo with its alpha ignored.
    expect(psnrFromMse(mse(await expected(), runTarget))).toBeLessThan(20);
  }, 120_000);

  it("a 4000×3000 PNG: recorded at its original size, worked on at 64×48 with the same picture", async () => {
    const big = path.join(dir, "big.png");
    await sharp(target).resize(4000, 3000).png().toFile(big);
    const { run, runTarget } = await reconstruct(big);
    expect(run.target).toMatchObject({ originalWidth: 4000, originalHeight: 3000 });
    expect(psnrFromMse(mse(await expected(), runTarget))).toBeGreaterThan(30);
  }, 120_000);
});
