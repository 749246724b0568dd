import { describe, expect, it } from "vitest";
import type { SceneCamera } from "../src/bench/camera-space.ts";
import { compareScenes } from "../src/bench/errors3d.ts";
import { hungarianMatch } from "../src/bench/match.ts";
import {
  groupByName,
  groupName,
  type MeasuredScene,
  normalisedScene,
  type ScenePart,
} from "../src/bench/measured-scene.ts";
import { type Mat3, multiply, orientedBox, type Vec3 } from "../src/bench/oriented-box.ts";
import type { Shape } from "../src/program/scene-spec.ts";

/** A world similarity: x → k·Q·x + t. */
interface Similarity {
  rotation: Mat3;
  scale: number;
  shift: Vec3;
}

const IDENTITY: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function rotation(axis: Vec3, degrees: number): Mat3 {
  const n = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / n) as Vec3;
  const a = (degrees * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const t = 1 - c;
  return [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
}

const apply = (m: Mat3, v: Vec3) => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Vec3;
const moved = (T: Similarity, p: Vec3) =>
  apply(T.rotation, p).map((v, i) => T.scale * v + T.shift[i]!) as Vec3;
const matrix4 = (m: Mat3, at: Vec3) => [...m[0], at[0], ...m[1], at[1], ...m[2], at[2], 0, 0, 0, 1];

interface Solid {
  name: string;
  /** Full extents of the mesh, in world units when `scaleInMatrix` is 1. */
  size: Vec3;
  rotation: Mat3;
  location: Vec3;
  color?: Vec3;
  metallic?: number;
  shape?: Shape;
}

/** What Blender's stats report for a mesh of `size` with the object matrix k·R at `location`. */
function part(s: Solid, T: Similarity, scaleInMatrix = false): ScenePart {
  const r = multiply(T.rotation, s.rotation);
  const linear = (scaleInMatrix ? r.map((row) => row.map((v) => v * T.scale)) : r) as Mat3;
  const mesh = s.size.map((v) => (scaleInMatrix ? v : v * T.scale) / 2) as Vec3;
  const at = moved(T, s.location);
  const half = linear.map((row) => row.reduce((sum, v, c) => sum + Math.abs(v) * mesh[c]!, 0));
  return {
    name: s.name,
    matrixWorld: matrix4(linear, at),
    bboxMin: at.map((v, i) => v - half[i]!) as Vec3,
    bboxMax: at.map((v, i) => v + half[i]!) as Vec3,
    color: s.color ?? [0.5, 0.1, 0.1],
    metallic: s.metallic ?? 0,
    shape: s.shape ?? (s.name.startsWith("cyl") ? "cylinder" : "cube"),
  };
}

/** A camera at `location` looking at `target`, +Z up (emitProgram's look_at). */
function camera(location: Vec3, target: Vec3, T: Similarity): SceneCamera {
  const back = location.map((v, i) => v - target[i]!) as Vec3;
  const unit = (v: Vec3) => v.map((x) => x / Math.hypot(...v)) as Vec3;
  const cross = (a: Vec3, b: Vec3): Vec3 => [
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  ];
  const z = unit(back);
  const x = unit(cross([0, 0, 1], z));
  const y = cross(z, x);
  const r: Mat3 = [
    [x[0], y[0], z[0]],
    [x[1], y[1], z[1]],
    [x[2], y[2], z[2]],
  ];
  return { matrixWorld: matrix4(multiply(T.rotation, r), moved(T, location)), lensMm: 50, sensorMm: 36 };
}

const NONE: Similarity = { rotation: IDENTITY, scale: 1, shift: [0, 0, 0] };
const yawed = (deg: number) => rotation([0, 0, 1], deg);

const SOLIDS: Solid[] = [
  { name: "cube1", size: [1, 1, 1], rotation: yawed(20), location: [0, 0, 0.5] },
  { name: "cyl2", size: [0.8, 0.8, 1.4], rotation: IDENTITY, location: [2, 1.5, 0.7] },
  { name: "box3", size: [1.2, 0.4, 0.6], rotation: yawed(-65), location: [-1.5, 2, 0.3], metallic: 1 },
  { name: "mug4_body", size: [0.6, 0.6, 0.8], rotation: IDENTITY, location: [1, -1.5, 0.4] },
  {
    name: "mug4_handle",
    size: [0.3, 0.1, 0.4],
    rotation: rotation([1, 0, 0], 90),
    location: [1.4, -1.5, 0.4],
  },
];
const EYE: Vec3 = [7.4, -6.6, 5.5];
const LOOK: Vec3 = [0, 0, 0.3];

function scene(solids: readonly Solid[], T = NONE, scaleInMatrix = false): MeasuredScene {
  return {
    camera: camera(EYE, LOOK, T),
    things: groupByName(solids.map((s) => part(s, T, scaleInMatrix))),
  };
}

const truth = scene(SOLIDS);

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

describe("errors3d in normalised camera space", () => {
  it("is zero for the truth itself", () => {
    const e = compareScenes(truth, truth);
    expect(e.countCorrect).toBe(true);
    expect(e.truthCount).toBe(4);
    expect(e.matched).toBe(4);
    expect(e.positionError).toBe(0);
    expect(e.imageError).toBe(0);
    expect(e.sizeError).toBe(0);
    expect(e.colorError).toBe(0);
    expect(e.materialAccuracy).toBe(1);
  });

  it.each([
    ["mesh", false],
    ["object matrix", true],
  ])("is zero for the scene moved, scaled (in the %s) and tilted, camera moved along", (_, inMatrix) => {
    const T: Similarity = { rotation: rotation([1, 2, 3], 50), scale: 2.7, shift: [-9.5, 3, 1] };
    const e = compareScenes(truth, scene(SOLIDS, T, inMatrix));
    expect(e.matched).toBe(4);
    expect(e.missed).toEqual([]);
    expect(e.extra).toEqual([]);
    expect(e.positionError).toBeCloseTo(0, 6);
    expect(e.imageError).toBeCloseTo(0, 6);
    expect(e.sizeError).toBeCloseTo(0, 4);
    expect(e.scale.predicted / e.scale.truth).toBeCloseTo(2.7, 9);
  });

  it("is not fooled: the same world with the camera elsewhere is an error", () => {
    const other: MeasuredScene = { ...truth, camera: camera([-6, -8, 4], LOOK, NONE) };
    const e = compareScenes(truth, other);
    expect(e.recall).toBeLessThan(1);
  });

  it("is zero for the same things in another order and under other names", () => {
    const names: Record<string, string> = { cube1: "obj4", cyl2: "obj3", box3: "obj2", mug4: "obj1" };
    const renamed = SOLIDS.map((s) => ({ ...s, name: s.name.replace(/^[a-z]+\d/, (g) => names[g]!) }));
    const e = compareScenes(truth, scene([...renamed].reverse()));
    expect(e.matched).toBe(4);
    expect(e.positionError).toBeCloseTo(0, 9);
    expect(e.pairs.find((p) => p.truth === "cube1")?.predicted).toBe("obj4");
    expect(e.pairs.find((p) => p.truth === "mug4")?.predicted).toBe("obj1");
  });

  it("counts a missing and an extra object and measures the matched errors", () => {
    const extra: Solid = {
      name: "ghost",
      size: [0.5, 0.5, 0.5],
      rotation: IDENTITY,
      location: [-4, -6, 0.25],
    };
    const recoloured = { ...SOLIDS[1]!, color: [0.1, 0.1, 0.6] as Vec3 };
    const e = compareScenes(truth, scene([SOLIDS[0]!, recoloured, SOLIDS[3]!, SOLIDS[4]!, extra]));
    // One missing and one extra: the count is right, the recall is not.
    expect(e.countCorrect).toBe(true);
    expect(e.matched).toBe(3);
    expect(e.missed).toEqual(["box3"]);
    expect(e.extra).toEqual(["ghost"]);
    expect(e.recall).toBeCloseTo(3 / 4);
    expect(e.precision).toBeCloseTo(3 / 4);
    expect(e.pairs.find((p) => p.truth === "cyl2")!.color).toBeGreaterThan(10);
    expect(e.pairs.find((p) => p.truth === "cube1")!.color).toBe(0);
  });

  it("sees a wrong depth that the image cannot show, and a wrong size", () => {
    // cyl2 slid along its viewing ray (same image position, 30% farther), cube1 made 1.5× larger.
    const ray = SOLIDS[1]!.location.map((v, i) => EYE[i]! + 1.3 * (v - EYE[i]!)) as Vec3;
    const changed = [
      { ...SOLIDS[0]!, size: [1.5, 1.5, 1.5] as Vec3 },
      { ...SOLIDS[1]!, location: ray },
      ...SOLIDS.slice(2),
    ];
    const e = compareScenes(truth, scene(changed));
    const pair = (name: string) => e.pairs.find((p) => p.truth === name)!;
    expect(e.matched).toBe(4);
    expect(pair("cyl2").image).toBeCloseTo(0, 9);
    expect(pair("cyl2").position).toBeGreaterThan(0.05);
    expect(pair("cube1").size).toBeGreaterThan(0.3);
    expect(pair("box3").position).toBeGreaterThanOrEqual(0);
    expect(e.sizeError).toBeGreaterThan(0);
  });

  it("scores a different material class", () => {
    const metal = SOLIDS.map((s) => (s.name === "cube1" ? { ...s, metallic: 1 } : s));
    expect(compareScenes(truth, scene(metal)).materialAccuracy).toBe(0.75);
  });

  it("counts a cube matched to a cylinder as found but of the wrong shape", () => {
    const swapped = SOLIDS.map((s) => (s.name === "cube1" ? { ...s, shape: "cylinder" as const } : s));
    const e = compareScenes(truth, scene(swapped));
    expect(e.pairs.find((p) => p.truth === "cube1")).toMatchObject({ predicted: "cube1", shape: false });
    expect(e.recall).toBe(1);
    expect(e.shapeAccuracy).toBe(0.75);
    expect(compareScenes(truth, scene(SOLIDS)).shapeAccuracy).toBe(1);
    // A part whose class cannot be told (not a closed mesh) is left out rather than counted wrong.
    const unknown = SOLIDS.map((s) => (s.name === "cube1" ? { ...s, shape: null as never } : s));
    expect(compareScenes(truth, scene(unknown)).shapeAccuracy).toBe(1);
  });

  it("does not match a thing whose centre projects outside the true thing", () => {
    const shifted = SOLIDS.map((s) =>
      s.name === "cyl2" ? { ...s, location: [s.location[0] - 1.5, s.location[1] - 1.5, 0.7] as Vec3 } : s,
    );
    const e = compareScenes(truth, scene(shifted));
    expect(e.missed).toEqual(["cyl2"]);
    expect(e.extra).toEqual(["cyl2"]);
  });

  it("never matches things behind the camera", () => {
    const behind: Solid = { ...SOLIDS[0]!, location: EYE.map((v, i) => 2 * v - LOOK[i]!) as Vec3 };
    const e = compareScenes(truth, scene([behind, ...SOLIDS.slice(1)]));
    expect(e.missed).toEqual(["cube1"]);
    expect(normalisedScene(scene([behind])).things[0]!.image).toBeNull();
  });

  it("drops grounds and walls by name and huge slabs by size before scoring", () => {
    const room: Solid[] = [
      { name: "ground", size: [40, 40, 0], rotation: IDENTITY, location: [0, 0, 0] },
      { name: "wall_back", size: [20, 0.1, 4], rotation: IDENTITY, location: [0, 8, 2] },
      { name: "slab", size: [60, 60, 0.1], rotation: IDENTITY, location: [0, 0, -0.05] },
    ];
    const e = compareScenes(truth, scene([...SOLIDS, ...room]));
    expect(e.predictedCount).toBe(4);
    expect(e.positionError).toBeCloseTo(0, 9);
  });
});

describe("orientedBox", () => {
  it.each([0, 30, 45, 70, 90])("recovers a yawed mesh box from its world box (yaw %d°)", (yaw) => {
    const size: Vec3 = yaw === 45 ? [1, 1, 0.5] : [1.2, 0.4, 0.6];
    const p = part({ name: "b", size, rotation: yawed(yaw), location: [1, 2, 3] }, NONE);
    const box = orientedBox(p.matrixWorld, p.bboxMin, p.bboxMax);
    expect(box.center).toEqual([1, 2, 3]);
    for (const [i, h] of box.half.entries()) expect(h).toBeCloseTo(size[i]! / 2, 4);
  });

  it("recovers a tilted box whose object matrix carries the scale", () => {
    const T: Similarity = { rotation: rotation([1, -1, 2], 33), scale: 3, shift: [0, 0, 0] };
    const p = part({ name: "b", size: [1.2, 0.4, 0.6], rotation: IDENTITY, location: [0, 0, 0] }, T, true);
    const box = orientedBox(p.matrixWorld, p.bboxMin, p.bboxMax);
    for (const [i, h] of box.half.entries()) expect(h).toBeCloseTo([0.6, 0.2, 0.3][i]!, 6);
  });
});

describe("grouping", () => {
  it("groups parts by name prefix", () => {
    const groups = groupByName(
      ["mug1_body", "mug1_handle", "Cube.001", "cube"].map((name) => part({ ...SOLIDS[0]!, name }, NONE)),
    );
    expect(groups.map((g) => [g.name, g.parts.length])).toEqual([
      ["mug1", 2],
      ["cube", 2],
    ]);
    expect(groupName("wall_back1")).toBe("wall");
  });

  it("takes a thing's colour and class from its largest part and boxes all parts", () => {
    const [mug] = normalisedScene(scene(SOLIDS.slice(3).map((s, i) => ({ ...s, metallic: i })))).things;
    expect(mug!.materialClass).toBe("rubber");
    const body = normalisedScene(scene(SOLIDS.slice(3, 4))).things[0]!;
    const volume = (v: Vec3) => v[0] * v[1] * v[2];
    expect(volume(mug!.size)).toBeGreaterThan(1.05 * volume(body.size));
  });
});
