import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { compareImages } from "../src/metrics/compare.ts";
import { createMetricModels } from "../src/metrics/metric-models.ts";
import { MetricReport } from "../src/metrics/metric-report.ts";
import { formatMetricTable } from "../src/metrics/metric-table.ts";
import { PSNR_CAP_DB } from "../src/metrics/psnr.ts";

const LPIPS_FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures/lpips");
const models = createMetricModels({ allowDownload: false, modelsDir: "/nonexistent/models" });

afterAll(() => models.close());

describe("compareImages", () => {
  it("gives perfect scores for identical images, with PSNR capped and flagged", async () => {
    const ref = await loadImage(path.join(LPIPS_FIXTURES, "ex_ref.png"));
    const report = MetricReport.parse(await compareImages(ref, ref, models));
    expect(report.psnr).toBe(PSNR_CAP_DB);
    expect(report.psnrCapped).toBe(true);
    expect(report.mse).toBe(0);
    expect(report.ssim).toBe(1);
    expect(report.lpips!).toBeLessThan(1e-6);
    expect(report.lpipsBackbone).toBe("squeeze");
    expect(report.resized).toBe(false);
    expect(JSON.parse(JSON.stringify(report)).psnr).toBe(PSNR_CAP_DB);
  });

  it("says LPIPS is unavailable where the model gives NaN (a render the SqueezeNet export cannot score), never passing NaN on", async () => {
    const odd = await loadImage(path.resolve(import.meta.dirname, "fixtures/metrics/lpips-nan.png"), {
      maxSide: 0,
    });
    const report = MetricReport.parse(await compareImages(odd, odd, models));
    expect(report.lpips).toBeNull();
    expect(report.unavailable["lpips"]).toBe("LPIPS-squeeze gave NaN at 400×400 for this image");
    expect(report.psnr).toBe(PSNR_CAP_DB);
  });

  it("reports CLIP and DINO as unavailable with reasons, never as numbers", async () => {
    const ref = await loadImage(path.join(LPIPS_FIXTURES, "ex_ref.png"));
    const p1 = await loadImage(path.join(LPIPS_FIXTURES, "ex_p1.png"));
    const report = await compareImages(ref, p1, models);
    expect(report.clip).toBeNull();
    expect(report.dino).toBeNull();
    expect(report.unavailable["clip"]).toMatch(
      /\(Xenova\/clip-vit-base-patch32\) not found in \/nonexistent\/models/,
    );
    expect(report.unavailable["dino"]).toMatch(/\(Xenova\/dino-vits16\) not found in \/nonexistent\/models/);
    expect(Math.abs(report.lpips! - 0.1479)).toBeLessThan(0.001);
    expect(report.psnrCapped).toBe(false);
    expect(report.psnr!).toBeLessThan(PSNR_CAP_DB);
    expect(Object.keys(report.unavailable).sort()).toEqual(["clip", "dino"]);
  });

  it("resamples the image to the target's size and says so", async () => {
    const target = rgbImage(32, 24, new Float32Array(32 * 24 * 3).fill(0.5), "target");
    const image = rgbImage(64, 48, new Float32Array(64 * 48 * 3).fill(0.5), "render");
    const report = await compareImages(target, image, models);
    expect([report.width, report.height, report.resized]).toEqual([32, 24, true]);
    expect(report.mse!).toBeLessThan(1e-7);
    expect(report.ssim!).toBeGreaterThan(0.9999);
  });

  it("reports SSIM and LPIPS unavailable on images too small for them, keeping PSNR", async () => {
    const tiny = rgbImage(8, 8, new Float32Array(8 * 8 * 3).fill(0.2), "tiny");
    const other = rgbImage(8, 8, new Float32Array(8 * 8 * 3).fill(0.3), "other");
    const report = await compareImages(tiny, other, models);
    expect(report.psnr).toBeCloseTo(20, 5);
    expect(report.ssim).toBeNull();
    expect(report.unavailable["ssim"]).toMatch(/at least 11×11/);
    expect(report.lpips).toBeNull();
    expect(report.unavailable["lpips"]).toMatch(
      /LPIPS failed at 8×8: LPIPS-squeeze needs images at least 17×17/,
    );
  });

  it("models that fail to load are reported, LPIPS included", async () => {
    const none = createMetricModels({ lpipsModel: "/nowhere/lpips_squeeze.onnx", semantic: false });
    const img = rgbImage(16, 16, new Float32Array(16 * 16 * 3).fill(0.4), "flat");
    const report = await compareImages(img, img, none);
    expect(report.lpips).toBeNull();
    expect(report.lpipsBackbone).toBeNull();
    expect(report.unavailable["lpips"]).toMatch(/not found at \/nowhere\/lpips_squeeze\.onnx/);
    expect(report.unavailable["clip"]).toMatch(/switched off/);
  });
});

describe("formatMetricTable", () => {
  it("shows values, the backbone, the cap and unavailable reasons", () => {
    const table = formatMetricTable({
      psnr: PSNR_CAP_DB,
      psnrCapped: true,
      mse: 0,
      ssim: 1,
      lpips: 0.12345,
      clip: null,
      dino: 0.8,
      unavailable: { clip: "CLIP model missing" },
      resized: true,
      width: 64,
      height: 48,
      lpipsBackbone: "alex",
    });
    expect(table).toContain("at 64×48 (image resampled");
    expect(table).toMatch(/PSNR \(dB\) +↑ +inf +\(identical images; JSON reports 100\)/);
    expect(table).toMatch(/LPIPS-alex +↓ +0\.1235/);
    expect(table).toMatch(/CLIP cos +↑ +n\/a +\(CLIP model missing\)/);
    expect(table).toMatch(/DINO cos +↑ +0\.8000/);
  });

  it("tells a capped near-identical PSNR from an infinite one", () => {
    const base = {
      psnr: PSNR_CAP_DB,
      psnrCapped: true,
      mse: 1e-11,
      ssim: 1,
      lpips: null,
      clip: null,
      dino: null,
      unavailable: {},
      resized: false,
      width: 8,
      height: 8,
      lpipsBackbone: null,
    };
    expect(formatMetricTable(base)).toMatch(/PSNR \(dB\) +↑ +>100\.00 +\(capped\)/);
    expect(formatMetricTable(base)).toMatch(/LPIPS +↓ +n\/a +\(not computed\)/);
  });
});
