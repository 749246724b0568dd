/** Metal or rubber from highlights (no Blender): a smoothly shaded ball reads as rubber, a dark mirror-like one with a sharp highlight as metal. */
import { describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import {
  filledRows,
  finishFromHighlights,
  highlightScore,
  METAL_FINISH,
  RUBBER_FINISH,
} from "../src/offline/analysis/finish-cue.ts";
import type { Segment } from "../src/offline/analysis/segment.ts";

const SIZE = 40;
const R = 14;

/** A ball on grey: `shade(nx, ny)` gives its grey level at the unit-disc point (nx, ny); `hole` leaves the highlight out of the segment. */
function ball(
  shade: (nx: number, ny: number) => number,
  hole = false,
): { img: ReturnType<typeof rgbImage>; s: Segment } {
  const data = new Float32Array(SIZE * SIZE * 3).fill(0.5);
  const pixels: number[] = [];
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const nx = (x - 20) / R;
      const ny = (y - 20) / R;
      if (nx * nx + ny * ny > 1) continue;
      const v = shade(nx, ny);
      data.set([v * 0.9, v, v * 0.8], (y * SIZE + x) * 3);
      if (!(hole && v > 0.9)) pixels.push(y * SIZE + x);
    }
  const s: Segment = { pixels, minX: 6, maxX: 34, minY: 6, maxY: 34, mean: [0.5, 0.5, 0.5] };
  return { img: rgbImage(SIZE, SIZE, data, "painted"), s };
}

// Lambert under a light from the upper left: 0.45–0.8, no sharp peak.
const rubber = (nx: number, ny: number) =>
  0.45 + 0.35 * Math.max(0, -0.5 * nx - 0.5 * ny + 0.7 * Math.sqrt(1 - nx * nx - ny * ny));
// A dark reflection of the ground below a lighter sky, and a small near-white sun highlight.
const metal = (nx: number, ny: number) =>
  Math.hypot(nx + 0.35, ny + 0.35) < 0.18 ? 1 : ny > 0.1 ? 0.15 : 0.3;

describe("finish from highlights", () => {
  it("calls a smoothly shaded ball rubber and a mirror-like ball metal", () => {
    const r = ball(rubber);
    const m = ball(metal);
    expect(highlightScore(r.img, r.s.pixels)).toBeLessThan(0.2);
    expect(highlightScore(m.img, m.s.pixels)).toBeGreaterThan(0.5);
    expect(finishFromHighlights(r.img, r.s)).toEqual(RUBBER_FINISH);
    expect(finishFromHighlights(m.img, m.s)).toEqual(METAL_FINISH);
  });

  it("finds the highlight when the segment left it out as a region of its own", () => {
    const m = ball(metal, true);
    expect(highlightScore(m.img, m.s.pixels)).toBeLessThan(0.34);
    expect(filledRows(m.s, SIZE).length).toBeGreaterThan(m.s.pixels.length);
    expect(finishFromHighlights(m.img, m.s)).toEqual(METAL_FINISH);
  });

  it("does not guess metal for a region too small to show a highlight", () => {
    const { img } = ball(metal);
    const tiny: Segment = {
      pixels: [20 * SIZE + 20, 20 * SIZE + 21],
      minX: 20,
      maxX: 21,
      minY: 20,
      maxY: 20,
      mean: [1, 1, 1],
    };
    expect(finishFromHighlights(img, tiny)).toEqual(RUBBER_FINISH);
  });
});
