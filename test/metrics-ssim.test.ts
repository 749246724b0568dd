import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { gaussianFilter2d, gaussianKernel, reflectIndex } from "../src/metrics/gaussian-filter.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { ssim, ssimAgainst } from "../src/metrics/ssim.ts";
import { lossAgainst, SSIM_WEIGHT } from "../src/offline/loss.ts";

const FIXTURES = path.resolve(import.meta.dirname, "fixtures/metrics");

interface ReferencePair {
  name: string;
  a: string;
  b: string;
  width: number;
  height: number;
  ssim: number;
  mse: number;
  psnr: number | null;
}
const reference = JSON.parse(readFileSync(path.join(FIXTURES, "ssim-reference.json"), "utf8")) as {
  pairs: ReferencePair[];
};

describe("SSIM and PSNR against scikit-image", () => {
  it("has at least six pairs, including a non-square one", () => {
    expect(reference.pairs.length).toBeGreaterThanOrEqual(6);
    expect(reference.pairs.some((p) => p.width !== p.height)).toBe(true);
  });

  for (const pair of reference.pairs) {
    it(`matches skimage on "${pair.name}"`, async () => {
      const a = await loadImage(path.join(FIXTURES, pair.a), { maxSide: 0 });
      const b = await loadImage(path.join(FIXTURES, pair.b), { maxSide: 0 });
      expect([a.width, a.height]).toEqual([pair.width, pair.height]);
      expect(Math.abs(ssim(a, b) - pair.ssim)).toBeLessThan(1e-4);
      expect(mse(a, b)).toBeCloseTo(pair.mse, 7);
      const psnr = psnrFromMse(mse(a, b));
      if (pair.psnr === null) expect(psnr).toBe(Number.POSITIVE_INFINITY);
      else expect(Math.abs(psnr - pair.psnr)).toBeLessThan(1e-4);
    });
  }

  it("is symmetric and 1 for identical images", async () => {
    const pair = reference.pairs.find((p) => p.name === "noise")!;
    const a = await loadImage(path.join(FIXTURES, pair.a), { maxSide: 0 });
    const b = await loadImage(path.join(FIXTURES, pair.b), { maxSide: 0 });
    expect(ssim(a, a)).toBe(1);
    expect(ssim(b, a)).toBeCloseTo(ssim(a, b), 12);
  });

  it("refuses images smaller than the 11×11 window and mismatched sizes", () => {
    const tiny = rgbImage(10, 20, new Float32Array(10 * 20 * 3), "tiny");
    expect(() => ssim(tiny, tiny)).toThrow(/at least 11×11/);
    const other = rgbImage(20, 10, new Float32Array(20 * 10 * 3), "other");
    expect(() => ssim(tiny, other)).toThrow(/one size/);
  });
});

describe("Gaussian filter conventions", () => {
  it("uses an 11-tap kernel for σ 1.5, truncate 3.5, summing to 1", () => {
    const k = gaussianKernel(1.5, 3.5);
    expect(k.length).toBe(11);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(k[5]).toBeGreaterThan(k[4]!);
    expect(k[0]).toBeCloseTo(k[10]!, 15);
  });

  it("reflects borders half-sample symmetric like scipy 'reflect'", () => {
    // d c b a | a b c d | d c b a
    expect([-3, -2, -1, 0, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 4))).toEqual([
      2, 1, 0, 0, 3, 3, 2, 1, 0,
    ]);
  });
});

describe("the search's fast loss gives the very same numbers", () => {
  // The direct loop the index tables replace: the same sums in the same order.
  function directFilter(plane: Float64Array, width: number, height: number, kernel: Float64Array) {
    const radius = (kernel.length - 1) / 2;
    const tmp = new Float64Array(plane.length);
    const out = new Float64Array(plane.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++)
          acc += kernel[k + radius]! * plane[reflectIndex(y + k, height) * width + x]!;
        tmp[y * width + x] = acc;
      }
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++)
          acc += kernel[k + radius]! * tmp[y * width + reflectIndex(x + k, width)]!;
        out[y * width + x] = acc;
      }
    return out;
  }
  const noise = (seed: number, n: number) => {
    let x = seed;
    return Float32Array.from({ length: n }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    });
  };

  it("filters bit for bit like the direct loop, on odd sizes too", () => {
    const kernel = gaussianKernel(1.5, 3.5);
    for (const [w, h] of [
      [80, 60],
      [13, 29],
    ] as const) {
      const plane = Float64Array.from(noise(w * h, w * h));
      expect(Array.from(gaussianFilter2d(plane, w, h, kernel))).toEqual(
        Array.from(directFilter(plane, w, h, kernel)),
      );
    }
  });

  it("ssimAgainst and lossAgainst equal ssim and reconstructionLoss exactly, for many renders", () => {
    const target = rgbImage(40, 30, noise(1, 40 * 30 * 3), "t");
    const against = ssimAgainst(target);
    const loss = lossAgainst(target);
    for (let seed = 2; seed < 6; seed++) {
      const render = rgbImage(40, 30, noise(seed, 40 * 30 * 3), "r");
      expect(against(render)).toBe(ssim(target, render));
      expect(loss(render)).toBe(mse(target, render) + SSIM_WEIGHT * (1 - ssim(target, render)));
    }
  });
});
