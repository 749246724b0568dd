import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import { cosineSimilarity } from "../src/metrics/cosine.ts";
import { createMetricModels } from "../src/metrics/metric-models.ts";
import { locateModel } from "../src/metrics/model-locate.ts";
import { downloadsAllowed } from "../src/metrics/model-paths.ts";
import { toRawImage } from "../src/metrics/raw-image.ts";
import { configureHub, loadImageProcessor } from "../src/metrics/semantic-encoder.ts";
import { CLIP_MODEL, DINO_MODEL } from "../src/metrics/semantic-models.ts";

// Processor configs: CLIP's as published with openai/clip-vit-base-patch32, and a ViT (DINO) one
// with a fixed 224×224 size. Only configs: no model weights exist on this machine, so the real
// exports' own configs could not be checked here.
const CLIP_PREPROCESSOR = {
  crop_size: 224,
  do_center_crop: true,
  do_normalize: true,
  do_resize: true,
  feature_extractor_type: "CLIPFeatureExtractor",
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  resample: 3,
  size: 224,
};
const DINO_PREPROCESSOR = {
  do_normalize: true,
  do_resize: true,
  feature_extractor_type: "ViTFeatureExtractor",
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
  resample: 2,
  size: { height: 224, width: 224 },
};

let dir: string;
let emptyModels: string;
let emptyCache: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-semantic-"));
  emptyModels = path.join(dir, "models");
  emptyCache = path.join(dir, "cache");
  for (const [id, pre] of [
    [CLIP_MODEL.modelId, CLIP_PREPROCESSOR],
    [DINO_MODEL.modelId, DINO_PREPROCESSOR],
  ] as const) {
    const folder = path.join(dir, "configs", id);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "preprocessor_config.json"), JSON.stringify(pre));
    await writeFile(path.join(folder, "config.json"), "{}");
  }
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
    const models = createMetricModels({ modelsDir: emptyModels, cacheDir: emptyCache, probeTimeoutMs: 3000 });
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
    // Left edge is red, right edge blue, after a resize to 298×224 and a centre crop.
    expect(at(0, 100, 5)).toBeCloseTo((1 - 0.48145466) / 0.26862954, 3);
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
