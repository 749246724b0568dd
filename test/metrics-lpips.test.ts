import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { backboneOf, LpipsModel, toLpipsInput } from "../src/metrics/lpips.ts";
import { createMetricModels } from "../src/metrics/metric-models.ts";
import { defaultLpipsModelPath } from "../src/metrics/model-paths.ts";

const LPIPS_FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures/lpips");
const models = createMetricModels({ semantic: false });

afterAll(() => models.close());

describe("LPIPS (SqueezeNet)", () => {
  it("finds the shared model by default", () => {
    expect(defaultLpipsModelPath({})).toBe(
      path.resolve(import.meta.dirname, "../../shared/models/lpips_squeeze.onnx"),
    );
    expect(existsSync(defaultLpipsModelPath({}))).toBe(true);
    expect(defaultLpipsModelPath({ SEIG_LPIPS_MODEL: "/x/lpips_alex.onnx" })).toBe("/x/lpips_alex.onnx");
  });

  it("reproduces the reference distances", async () => {
    const lpips = await models.lpips();
    if (!lpips.ok) throw new Error(lpips.reason);
    expect(lpips.model.backbone).toBe("squeeze");
    const ref = await loadImage(path.join(LPIPS_FIXTURES, "ex_ref.png"));
    const p0 = await loadImage(path.join(LPIPS_FIXTURES, "ex_p0.png"));
    const p1 = await loadImage(path.join(LPIPS_FIXTURES, "ex_p1.png"));
    expect(Math.abs((await lpips.model.score(ref, p0)) - 0.711)).toBeLessThan(0.001);
    expect(Math.abs((await lpips.model.score(ref, p1)) - 0.1479)).toBeLessThan(0.001);
    expect(Math.abs(await lpips.model.score(ref, ref))).toBeLessThan(1e-6);
  });

  it("loads the model once per MetricModels", async () => {
    expect(await models.lpips()).toBe(await models.lpips());
  });

  it("feeds ImageNet-normalised NCHW planes", () => {
    const img = rgbImage(2, 1, new Float32Array([0.485, 0.456, 0.406, 1, 0, 0.5]), "x");
    const planes = toLpipsInput(img);
    expect(planes[0]).toBeCloseTo(0, 6);
    expect(planes[1]).toBeCloseTo((1 - 0.485) / 0.229, 6);
    expect(planes[3]).toBeCloseTo(-0.456 / 0.224, 6);
    expect(planes[5]).toBeCloseTo((0.5 - 0.406) / 0.225, 6);
  });

  it("reports a missing model as unavailable with its path", async () => {
    const missing = createMetricModels({ lpipsModel: "/nowhere/lpips_alex.onnx", semantic: false });
    const lpips = await missing.lpips();
    expect(lpips.ok).toBe(false);
    if (!lpips.ok) expect(lpips.reason).toMatch(/LPIPS model not found at \/nowhere\/lpips_alex\.onnx/);
    await expect(LpipsModel.load("/nowhere/lpips_alex.onnx")).rejects.toThrow(/SEIG_LPIPS_MODEL/);
  });

  it("names the backbone from the sidecar or the file name", () => {
    expect(backboneOf("/m/lpips_vgg.onnx")).toBe("vgg");
    expect(backboneOf("/m/model.onnx", { name: "lpips_alex_v0.1" })).toBe("alex");
    expect(backboneOf("/m/model.onnx")).toBeUndefined();
  });
});
