import { describe, expect, it } from "vitest";
import { reshaped } from "../src/offline/moves/shape-swap.ts";
import type { SceneObject } from "../src/program/scene-spec.ts";

const base: SceneObject = {
  name: "thing1",
  shape: "cylinder",
  size: [1, 1, 1],
  location: [0, 0, 0.5],
  rotationDeg: [0, 0, 30],
  color: [0.5, 0.5, 0.5],
  roughness: 0.5,
  metallic: 0,
};

describe("shape swap candidates", () => {
  it("tries a cube at three turns about Z, other shapes once", () => {
    expect(reshaped(base, "cube").map((o) => [o.shape, o.rotationDeg[2]])).toEqual([
      ["cube", 0],
      ["cube", 30],
      ["cube", 60],
    ]);
    expect(reshaped(base, "sphere").map((o) => o.shape)).toEqual(["sphere"]);
  });

  it("turns a cube to the turns it does not have yet", () => {
    const cube = { ...base, shape: "cube" as const };
    expect(reshaped(cube, "cube").map((o) => o.rotationDeg[2])).toEqual([0, 60]);
  });
});
