import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import { compareImages } from "../src/metrics/compare.ts";
import { cosineSimilarity } from "../src/metrics/cosine.ts";
import { createMetricModels } from "../src/metrics/metric-models.ts";
import { locateModel } from "../src/metrics/model-locate.ts";
import { downloadsAllowed } from "../src/metrics/model-paths.ts";
import { toRawImage } from "../src/metrics/raw-image.ts";
import { configureHub, loadImageProcessor } from "../src/metrics/semantic-encoder.ts";
import { CLIP_MODEL, DINO_MODEL } from "../src/metrics/semantic-models.ts";
import {
  CLIP_PREPROCESSOR,
  DINO_PREPROCESSOR,
  writeTinySemanticModels,
} from "./support/tiny-semantic-models.ts";

let dir: string;
let emptyModels: string;
let emptyCache: string;
/** A local address nothing listens on: the hub probe fails at once, the same way every run. */
let closedHub: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-semantic-"));
  // One folder deliberately missing, one deliberately empty.
  emptyModels = path.join(dir, "models-missing");
  emptyCache = path.join(dir, "cache-empty");
  await mkdir(emptyCache);
  // Configs only (no ONNX files): the real repositories' layout without their weights.
  await writeTinySemanticModels(path.join(dir, "configs"), false);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  closedHub = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 320×240 image: left half one colour, right half another. */
function twoTone(left: number[], right: number[]) {
  const w = 320;
  const h = 240;
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(i % w < w / 2 ? left : right, i * 3);
  return rgbImage(w, h, data, "two-tone");
}

describe("CLIP and DINO availability", () => {
  it("reports both unavailable, quickly, naming the model and the folders searched", async () => {
    // Downloads allowed, but the hub is a closed local port: the reason never depends on the network.
    const models = createMetricModels({
      modelsDir: emptyModels,
      cacheDir: emptyCache,
      probeTimeoutMs: 3000,
      remoteHost: closedHub,
    });
    const started = performance.now();
    const [clip, dino] = await Promise.all([models.clip(), models.dino()]);
    expect(performance.now() - started).toBeLessThan(10_000);
    for (const [result, spec] of [
      [clip, CLIP_MODEL],
      [dino, DINO_MODEL],
    ] as const) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.reason).toContain(spec.modelId);
      expect(result.reason).toContain(path.join(emptyModels, spec.modelId));
      expect(result.reason).toContain(path.join(emptyCache, spec.modelId));
      expect(result.reason).toContain(`${closedHub} is unreachable`);
      expect(result.reason).toMatch(/ECONNREFUSED/);
      expect(result.reason).not.toContain("\n");
    }
    await models.close();
  });

  it("does not try the network when downloads are off", async () => {
    const models = createMetricModels({ modelsDir: emptyModels, cacheDir: emptyCache, allowDownload: false });
    const clip = await models.clip();
    expect(clip.ok).toBe(false);
    if (!clip.ok) expect(clip.reason).toMatch(/downloads are off/);
    expect(downloadsAllowed({ HF_HUB_OFFLINE: "1" })).toBe(false);
    expect(downloadsAllowed({})).toBe(true);
  });

  it("says when semantic metrics are switched off", async () => {
    const dino = await createMetricModels({ semantic: false }).dino();
    expect(dino).toEqual({ ok: false, reason: "DINO ViT-S/16 disabled (semantic metrics switched off)" });
  });

  it("finds a local copy before considering a download", async () => {
    const root = path.join(dir, "configs");
    const found = await locateModel(CLIP_MODEL.modelId, CLIP_MODEL.label, {
      modelsDir: emptyModels,
      cacheDir: root,
      allowDownload: false,
      remoteHost: "http://127.0.0.1:9/",
    });
    expect(found).toEqual({ kind: "local", root });
  });

  it("reports a local folder without weights as unavailable, not as a number", async () => {
    const models = createMetricModels({
      modelsDir: path.join(dir, "configs"),
      cacheDir: emptyCache,
      allowDownload: false,
    });
    const clip = await models.clip();
    expect(clip.ok).toBe(false);
    if (!clip.ok)
      expect(clip.reason).toMatch(/CLIP ViT-B\/32 \(Xenova\/clip-vit-base-patch32\) could not be loaded/);
  });
});

describe("semantic preprocessing", () => {
  it("turns seig pixels into an 8-bit RGB RawImage", () => {
    const raw = toRawImage(rgbImage(2, 1, new Float32Array([0, 0.5, 1, 0.25, 0.75, 0.1]), "x"));
    expect([raw.width, raw.height, raw.channels]).toEqual([2, 1, 3]);
    expect(Array.from(raw.data)).toEqual([0, 128, 255, 64, 191, 26]);
  });

  it("CLIP: 224×224 centre crop normalised with CLIP's mean and std", async () => {
    configureHub({ kind: "local", root: path.join(dir, "configs") }, path.join(dir, "configs"));
    const processor = await loadImageProcessor(CLIP_MODEL.modelId);
    const { pixel_values } = await processor(toRawImage(twoTone([1, 0, 0], [0, 0, 1])));
    expect(pixel_values.dims).toEqual([1, 3, 224, 224]);
    const data = pixel_values.data as Float32Array;
    const at = (c: number, y: number, x: number) => data[c * 224 * 224 + y * 224 + x]!;
    // Left edge is red, right edge blue, after a resize to 298×224 and a centre crop: the crop
    // is the full height, so the top and bottom rows are image too, not padding.
    expect(at(0, 100, 5)).toBeCloseTo((1 - 0.48145466) / 0.26862954, 3);
    expect(at(0, 0, 5)).toBeCloseTo((1 - 0.48145466) / 0.26862954, 3);
    expect(at(2, 223, 218)).toBeCloseTo((1 - 0.40821073) / 0.27577711, 3);
    expect(at(2, 100, 5)).toBeCloseTo((0 - 0.40821073) / 0.27577711, 3);
    expect(at(2, 100, 218)).toBeCloseTo((1 - 0.40821073) / 0.27577711, 3);
  });

  it("DINO: 224×224 resize normalised with ImageNet mean and std", async () => {
    configureHub({ kind: "local", root: path.join(dir, "configs") }, path.join(dir, "configs"));
    const processor = await loadImageProcessor(DINO_MODEL.modelId);
    const { pixel_values } = await processor(toRawImage(twoTone([0, 1, 0], [0, 1, 0])));
    expect(pixel_values.dims).toEqual([1, 3, 224, 224]);
    const data = pixel_values.data as Float32Array;
    expect(data[224 * 224 + 50 * 224 + 50]).toBeCloseTo((1 - 0.456) / 0.224, 3);
    expect(data[50]).toBeCloseTo(-0.485 / 0.229, 3);
  });

  it("compares embeddings by cosine", () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 0], [-1, 0])).toBe(-1);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/one length/);
  });
});

/** A 320×240 image: top half one colour, bottom half another. */
function topBottom(top: number[], bottom: number[]) {
  const data = new Float32Array(320 * 240 * 3);
  for (let i = 0; i < 320 * 240; i++) data.set(i < 320 * 120 ? top : bottom, i * 3);
  return rgbImage(320, 240, data, "top-bottom");
}

// SemanticEncoder.load and compute, through transformers.js and onnxruntime, on the tiny local
// models of test/support/tiny-semantic-models.ts: CLIP's embedding is the mean of each
// normalised channel, DINO's CLS token the top row's. What the real networks compute is not
// covered (no weights on this machine); how seig feeds them and reads their outputs is.
describe("CLIP and DINO embeddings on tiny local models", () => {
  const clipNorm = (c: number, v: number) =>
    (v - CLIP_PREPROCESSOR.image_mean[c]!) / CLIP_PREPROCESSOR.image_std[c]!;
  const dinoNorm = (c: number, v: number) =>
    (v - DINO_PREPROCESSOR.image_mean[c]!) / DINO_PREPROCESSOR.image_std[c]!;
  let models: ReturnType<typeof createMetricModels>;

  beforeAll(async () => {
    await writeTinySemanticModels(path.join(dir, "tiny"));
    models = createMetricModels({
      modelsDir: path.join(dir, "tiny"),
      cacheDir: emptyCache,
      allowDownload: false,
    });
  });
  afterAll(() => models?.close());

  it("CLIP reads image_embeds: here the crop's per-channel mean", async () => {
    const clip = await models.clip();
    if (!clip.ok) throw new Error(clip.reason);
    const embedding = await clip.model.embed(topBottom([1, 0, 0], [0, 0, 1]));
    // Red over blue, split at the crop's middle row: each channel averages its two halves.
    expect(Array.from(embedding)).toHaveLength(3);
    for (const [c, v] of [0.5, 0, 0.5].entries()) expect(embedding[c]).toBeCloseTo(clipNorm(c, v), 2);
  });

  it("DINO reads the CLS token (the first of last_hidden_state), not the other tokens", async () => {
    const dino = await models.dino();
    if (!dino.ok) throw new Error(dino.reason);
    const image = topBottom([1, 0, 0], [0, 0, 1]);
    const embedding = await dino.model.embed(image);
    // Token 0 is the top row: pure red. Any other token, or their mean, would show blue.
    expect(Array.from(embedding)).toHaveLength(3);
    for (const [c, v] of [1, 0, 0].entries()) expect(embedding[c]).toBeCloseTo(dinoNorm(c, v), 3);
    // One embedding per image object: a run compares many renders with one target.
    expect(await dino.model.embed(image)).toBe(embedding);
  });

  it("compareImages reports CLIP and DINO as the cosine of those embeddings", async () => {
    const target = topBottom([1, 0, 0], [0, 0, 1]);
    const flipped = topBottom([0, 0, 1], [1, 0, 0]);
    const report = await compareImages(target, flipped, models);
    expect(report.unavailable).not.toHaveProperty("clip");
    expect(report.unavailable).not.toHaveProperty("dino");
    const [clip, dino] = [await models.clip(), await models.dino()];
    if (!clip.ok || !dino.ok) throw new Error("both tiny models load");
    const cos = async (m: typeof clip.model) =>
      cosineSimilarity(await m.embed(target), await m.embed(flipped));
    // Upside down: the same channel means (CLIP ≈ 1), an opposite top row (DINO well below 1).
    expect(report.clip).toBeCloseTo(await cos(clip.model), 6);
    expect(report.clip!).toBeGreaterThan(0.99);
    expect(report.dino).toBeCloseTo(await cos(dino.model), 6);
    expect(report.dino!).toBeLessThan(0.5);
  });
});
