import { describe, expect, it } from "vitest";
import { errors3d, groupName, groupParts, type Thing, withoutStructure } from "../src/bench/errors3d.ts";
import { hungarianMatch } from "../src/bench/match.ts";

function thing(
  name: string,
  at: [number, number, number],
  color: [number, number, number] = [0.5, 0.1, 0.1],
): Thing {
  return {
    name,
    bboxMin: [at[0] - 0.5, at[1] - 0.5, at[2] - 0.5],
    bboxMax: [at[0] + 0.5, at[1] + 0.5, at[2] + 0.5],
    color,
    materialClass: "rubber",
  };
}

describe("hungarianMatch", () => {
  it("undoes a swapped order", () => {
    const m = hungarianMatch(
      [
        [9, 0.1, 7],
        [0.2, 8, 9],
        [7, 9, 0.3],
      ],
      3,
    );
    expect(m.pairs).toEqual([
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
    expect(m.unmatchedTruth).toEqual([]);
  });

  it("prefers the globally cheapest assignment over greedy choices", () => {
    // Greedy would take (0,0)=1 and then pay 10 for (1,1); optimal is 2 + 2.
    const m = hungarianMatch(
      [
        [1, 2],
        [2, 10],
      ],
      2,
    );
    expect(m.pairs).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("reports a missing object as unmatched truth", () => {
    const m = hungarianMatch(
      [[0.1], [5], [0.2]].map((r) => r),
      1,
    );
    expect(m.pairs).toEqual([[0, 0]]);
    expect(m.unmatchedTruth).toEqual([1, 2]);
  });

  it("reports an extra object as unmatched prediction", () => {
    const m = hungarianMatch([[4, 0.1, 3]], 3);
    expect(m.pairs).toEqual([[0, 1]]);
    expect(m.unmatchedPrediction).toEqual([0, 2]);
  });

  it("refuses pairs costlier than the limit", () => {
    const m = hungarianMatch([[0.9]], 1, 0.5);
    expect(m.pairs).toEqual([]);
    expect(m.unmatchedTruth).toEqual([0]);
    expect(m.unmatchedPrediction).toEqual([0]);
  });

  it("handles empty sides", () => {
    expect(hungarianMatch([], 2).unmatchedPrediction).toEqual([0, 1]);
    expect(hungarianMatch([[], []], 0).unmatchedTruth).toEqual([0, 1]);
  });
});

describe("errors3d", () => {
  const truth = [thing("a", [0, 0, 0.5]), thing("b", [4, 0, 0.5]), thing("c", [0, 4, 0.5])];

  it("is zero for the same things in another order", () => {
    const e = errors3d(truth, [truth[2]!, truth[0]!, truth[1]!]);
    expect(e.countCorrect).toBe(true);
    expect(e.matched).toBe(3);
    expect(e.positionError).toBe(0);
    expect(e.sizeError).toBe(0);
    expect(e.colorError).toBe(0);
    expect(e.materialAccuracy).toBe(1);
  });

  it("counts a missing and an extra object and measures the matched errors", () => {
    const moved = thing("a2", [0.3, 0, 0.5], [0.1, 0.1, 0.5]);
    const far = thing("z", [-30, -30, 0.5]);
    const e = errors3d(truth, [moved, truth[1]!, far]);
    expect(e.countCorrect).toBe(true);
    expect(e.matched).toBe(2);
    expect(e.missed).toEqual(["c"]);
    expect(e.extra).toEqual(["z"]);
    expect(e.recall).toBeCloseTo(2 / 3);
    expect(e.positionError).toBeCloseTo(0.3 / e.sceneExtent / 2);
    expect(e.colorError).toBeGreaterThan(10);
  });

  it("scores a different material class", () => {
    const metal: Thing = { ...truth[0]!, materialClass: "metal" };
    expect(errors3d([truth[0]!], [metal]).materialAccuracy).toBe(0);
  });
});

describe("grouping", () => {
  it("groups parts by name prefix and takes colour from the largest part", () => {
    const things = groupParts([
      { name: "mug1_body", bboxMin: [0, 0, 0], bboxMax: [1, 1, 1], color: [1, 0, 0], metallic: 0 },
      {
        name: "mug1_handle",
        bboxMin: [1, 0.4, 0.2],
        bboxMax: [1.3, 0.6, 0.8],
        color: [0, 0, 1],
        metallic: 1,
      },
      { name: "Cube.001", bboxMin: [3, 3, 0], bboxMax: [4, 4, 1], color: [0, 1, 0], metallic: 1 },
    ]);
    expect(things.map((t) => t.name)).toEqual(["mug1", "cube"]);
    expect(things[0]!.bboxMax).toEqual([1.3, 1, 1]);
    expect(things[0]!.color).toEqual([1, 0, 0]);
    expect(things[0]!.materialClass).toBe("rubber");
    expect(things[1]!.materialClass).toBe("metal");
    expect(groupName("wall_back1")).toBe("wall");
  });

  it("drops grounds and walls by name and huge planes by size", () => {
    const kept = withoutStructure(
      [
        thing("ground", [0, 0, 0]),
        thing("wall2", [0, 0, 0]),
        thing("cube1", [0, 0, 0]),
        {
          ...thing("slab", [0, 0, 0]),
          bboxMin: [-20, -20, 0],
          bboxMax: [20, 20, 0],
        },
      ],
      5,
    );
    expect(kept.map((t) => t.name)).toEqual(["cube1"]);
  });
});
