/**
 * A bounded surface (a table top between a wall and the floor): found in the row colours,
 * the camera its two edges fix, and the camera plan that keeps the surface's far edge where
 * the photo shows it.
 */
import { describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import { estimateBackground, surfaceBackground } from "../src/offline/analysis/background.ts";
import {
  boundedGroundSize,
  cameraBasis,
  initialCamera,
  projectPoint,
  surfacePitch,
} from "../src/offline/analysis/camera.ts";
import { groundPlan } from "../src/offline/kind-plan.ts";

const W = 160;
const H = 120;

/** An image whose row y has colour `rowColour(y)`, with `blot` painted over a block of it. */
function rows(rowColour: (y: number) => [number, number, number], blot?: [number, number, number]) {
  const data = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const inBlot = blot && x >= 20 && x < 110 && y >= 50 && y < 80;
      data.set(inBlot ? blot : rowColour(y), (y * W + x) * 3);
    }
  return rgbImage(W, H, data, "rows");
}

const WALL: [number, number, number] = [0.55, 0.52, 0.5];
const TABLE: [number, number, number] = [0.63, 0.46, 0.35];
const FLOOR: [number, number, number] = [0.3, 0.28, 0.28];

describe("a bounded surface in the rows", () => {
  it("finds a table top's far and near edge between a wall and the floor", () => {
    const img = rows((y) => (y < 40 ? WALL : y < 100 ? TABLE : FLOOR));
    const surface = surfaceBackground(img, estimateBackground(img))!;
    expect(surface.horizonRow).toBe(40);
    expect(surface.groundEnd).toBe(100);
    for (let c = 0; c < 3; c++) {
      expect(surface.ground[c]).toBeCloseTo(TABLE[c]!, 5);
      expect(surface.sky![c]).toBeCloseTo(WALL[c]!, 5);
    }
  });

  it("finds none in a ground that brightens towards the camera, even where a big object tints the rows", () => {
    const img = rows(
      (y) => {
        const v = 0.6 + (0.2 * y) / H;
        return [v, v, v];
      },
      [0.6, 0.35, 0.75],
    );
    expect(surfaceBackground(img, estimateBackground(img))).toBeNull();
  });
});

describe("the camera a surface's edges fix", () => {
  it("recovers the pitch from the rows where a square surface's far and near edges show", () => {
    for (const [pitch, lens] of [
      [29, 35],
      [45, 50],
    ] as const) {
      const cam = initialCamera(pitch, W, H, lens);
      const { forward } = cameraBasis(cam);
      const ahead = [forward[0], forward[1]].map((v) => v / Math.hypot(forward[0], forward[1]));
      const half = 3;
      const far = projectPoint(cam, [ahead[0]! * half, ahead[1]! * half, 0])![1];
      const near = projectPoint(cam, [-ahead[0]! * half, -ahead[1]! * half, 0])![1];
      expect(boundedGroundSize(cam, far)).toBeCloseTo(2 * half, 3);
      expect(Math.abs(surfacePitch(far, near, W, H, lens)! - pitch)).toBeLessThanOrEqual(0.5);
    }
  });

  it("has no surface where the far edge's row looks above the ground", () => {
    expect(boundedGroundSize(initialCamera(10, W, H, 35), 5)).toBeNull();
  });

  it("plans only bounded-surface cameras around that pitch, each keeping the far edge's row", () => {
    const img = rows((y) => (y < 40 ? WALL : y < 100 ? TABLE : FLOOR));
    const surface = surfaceBackground(img, estimateBackground(img))!;
    const { grid } = groundPlan("auto", surface, W, H);
    expect(grid.length).toBeGreaterThan(0);
    expect(grid.every((g) => g.edgeRow === 40)).toBe(true);
    const open = groundPlan("auto", estimateBackground(img), W, H).grid;
    expect(open.every((g) => g.edgeRow === undefined)).toBe(true);
  });
});
