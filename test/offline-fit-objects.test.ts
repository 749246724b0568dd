import { describe, expect, it } from "vitest";
import { objectSteps } from "../src/offline/fit-objects.ts";
import type { SceneObject } from "../src/program/scene-spec.ts";

const cube: SceneObject = {
  name: "cube1",
  shape: "cube",
  size: [1, 1, 0.8],
  location: [2, -1, 0.4],
  rotationDeg: [0, 0, 30],
  color: [0.5, 0.2, 0.2],
  roughness: 0.5,
  metallic: 0,
};

describe("per-object fit steps", () => {
  const steps = objectSteps(cube, [1, 0, 0], [0, 1, 0], 0.3);

  it("moves the object a share of its width along the camera's right and view axes", () => {
    expect(steps.slice(0, 4).map((o) => o.location)).toEqual([
      [2.3, -1, 0.4],
      [1.7, -1, 0.4],
      [2, -0.7, 0.4],
      [2, -1.3, 0.4],
    ]);
  });

  it("scales the object about its foot, so it still stands on the ground", () => {
    for (const o of steps.slice(4)) {
      expect(o.location[2]).toBeCloseTo(o.size[2] / 2, 10);
      expect(o.location.slice(0, 2)).toEqual([2, -1]);
    }
    expect(steps[4]!.size[0]).toBeCloseTo(1.3, 10);
    expect(steps[5]!.size[0]).toBeCloseTo(1 / 1.3, 10);
  });
});
