import { describe, expect, it } from "vitest";
import { type RgbImage, rgbImage } from "../src/image/types.ts";
import { groundPoint, initialCamera, projectPoint } from "../src/offline/analysis/camera.ts";
import { linearRatio, ratioColours } from "../src/offline/analysis/colour-ratio.ts";
import { foregroundMask } from "../src/offline/analysis/foreground.ts";
import { components } from "../src/offline/analysis/mask.ts";
import { objectLabels, projectedBox } from "../src/offline/analysis/object-masks.ts";
import { residualMap, rowGains } from "../src/offline/analysis/residual.ts";
import { cameraOf, objectFromSegment } from "../src/offline/analysis/scaffold.ts";
import { segmentObjects } from "../src/offline/analysis/segment.ts";
import { footprintErrors } from "../src/offline/moves/remove-objects.ts";
import type { SceneSpec } from "../src/program/scene-spec.ts";

type Rgb = [number, number, number];

function image(width: number, height: number, colourAt: (x: number, y: number) => Rgb): RgbImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(colourAt(x, y), (y * width + x) * 3);
  return rgbImage(width, height, data, "synthetic");
}

const inRect = (x: number, y: number, r: [number, number, number, number]) =>
  x >= r[0] && x <= r[1] && y >= r[2] && y <= r[3];

describe("camera back-projection", () => {
  const cam = initialCamera(30, 160, 120, 50);

  it("casts a pixel onto the ground and projects the point back to the same pixel", () => {
    for (const [px, py] of [
      [80, 90],
      [10, 110],
      [150, 70],
    ] as const) {
      const p = groundPoint(cam, px, py)!;
      expect(p[2]).toBe(0);
      const back = projectPoint(cam, p)!;
      expect(back[0]).toBeCloseTo(px + 0.5, 6);
      expect(back[1]).toBeCloseTo(py + 0.5, 6);
    }
  });

  it("has no ground point above the horizon, and the image centre looks at the origin", () => {
    expect(groundPoint(cam, 80, 0)).not.toBeNull();
    expect(groundPoint(initialCamera(5, 160, 120, 50), 80, 0)).toBeNull();
    const centre = projectPoint(cam, [0, 0, 0])!;
    expect(centre[0]).toBeCloseTo(80, 6);
    expect(centre[1]).toBeCloseTo(60, 6);
  });

  it("places an object from its silhouette so that it projects back onto the silhouette", () => {
    const segment = { pixels: [], minX: 70, maxX: 90, minY: 50, maxY: 72, mean: [0.5, 0.1, 0.1] as Rgb };
    const img = image(160, 120, () => [0.5, 0.1, 0.1]);
    const obj = objectFromSegment(img, segment, cam, "sphere1", "sphere")!;
    expect(obj.location[2]).toBeCloseTo(obj.size[2] / 2, 6);
    // Its centre projects inside the silhouette, and its radius at its depth spans the silhouette's width.
    const centre = projectPoint(cam, obj.location as Rgb)!;
    expect(Math.abs(centre[0] - 80.5)).toBeLessThan(1);
    expect(centre[1]).toBeGreaterThan(50);
    expect(centre[1]).toBeLessThan(72);
    const edge = projectPoint(cam, [obj.location[0] + obj.size[0] / 2, obj.location[1], obj.location[2]])!;
    expect(2 * (edge[0] - centre[0])).toBeGreaterThan(21 * 0.85);
    expect(2 * (edge[0] - centre[0])).toBeLessThan(21 * 1.15);
  });

  it("places no object whose foot lands just under the horizon, tens of metres away", () => {
    // A 4° camera: the horizon is a few rows above the centre; a foot two rows under it is far off.
    const level = initialCamera(4, 160, 120, 50);
    const img = image(160, 120, () => [0.5, 0.1, 0.1]);
    const horizonRow = 60 - Math.tan((4 * Math.PI) / 180) * ((50 / 36) * 160);
    const far = {
      pixels: [],
      minX: 70,
      maxX: 90,
      minY: 20,
      maxY: Math.ceil(horizonRow) + 1,
      mean: [0.5, 0.1, 0.1] as Rgb,
    };
    const farFoot = groundPoint(level, 80, far.maxY)!;
    expect(Math.hypot(farFoot[0] - level.location[0], farFoot[1] - level.location[1])).toBeGreaterThan(44);
    expect(objectFromSegment(img, far, level, "cube1", "cube")).toBeNull();
    const near = { ...far, minY: 80, maxY: 110 };
    expect(objectFromSegment(img, near, level, "cube1", "cube")).not.toBeNull();
  });
});

describe("residual segmentation", () => {
  // A ground getting lighter towards the bottom, a red square and its even shadow, a shaded
  // dark grey disc and its own shadow touching it.
  const ground = (y: number): Rgb => [0.5 + y * 0.002, 0.5 + y * 0.002, 0.5 + y * 0.002];
  const red: [number, number, number, number] = [10, 25, 40, 55];
  const shadow: [number, number, number, number] = [26, 40, 40, 55];
  const greyShadow: [number, number, number, number] = [69, 78, 26, 34];
  const grey = (x: number, y: number) => (x - 60) ** 2 + (y - 30) ** 2 <= 64;
  const backdrop = image(80, 60, (_, y) => ground(y));
  const target = image(80, 60, (x, y) => {
    if (inRect(x, y, red)) return [0.7, 0.1, 0.1];
    if (inRect(x, y, shadow) || inRect(x, y, greyShadow)) return ground(y).map((v) => v * 0.5) as Rgb;
    // The disc darkens the ground by a varying amount (shading), the shadows by an even half.
    if (grey(x, y)) return ground(y).map((v) => v * (0.1 + (0.25 * (x - 52)) / 16)) as Rgb;
    return ground(y);
  });

  it("row gains absorb a global brightness error of the backdrop", () => {
    const dim = image(80, 60, (_, y) => ground(y).map((v) => v * 0.8) as Rgb);
    const gains = rowGains(target, dim);
    // 1.25 up to the small offset that keeps black rows finite.
    expect(gains[5]).toBeGreaterThan(1.23);
    expect(gains[5]).toBeLessThan(1.26);
    expect(Math.max(...residualMap(backdrop, dim))).toBeLessThan(0.005);
    expect(Math.max(...residualMap(target, dim))).toBeGreaterThan(0.3);
  });

  it("finds the red square and the grey disc, and drops both even shadows", () => {
    const segments = segmentObjects(target, backdrop);
    expect(segments).toHaveLength(2);
    const boxes = segments.map((s) => [s.minX, s.maxX, s.minY, s.maxY]);
    expect(boxes).toContainEqual([10, 25, 40, 55]);
    // The red square's shadow tells how dark a shadow is: the disc's own shadow is cut off it.
    expect(boxes).toContainEqual([52, 68, 22, 38]);
    const mask = foregroundMask(target, backdrop, 0.08);
    expect(mask[45 * 80 + 30]).toBe(0);
    expect(mask[30 * 80 + 74]).toBe(0);
  });

  it("row gains follow the ground, not the objects or shadows crowding a row", () => {
    // Rows 20–29: half of each row is an even shadow, 20 % an object, 30 % ground seen 10 % brighter
    // (the row's median is the object's ratio).
    const crowded = image(80, 60, (x, y) => {
      if (y < 20 || y >= 30) return ground(y);
      if (x < 40) return ground(y).map((v) => v * 0.5) as Rgb;
      if (x < 56) return [0.2, 0.6, 0.2];
      return ground(y).map((v) => v * 1.1) as Rgb;
    });
    const gains = rowGains(crowded, backdrop);
    expect(gains[25]).toBeGreaterThan(1.05);
    expect(gains[25]).toBeLessThan(1.15);
  });

  it("joins a fragment at an object's foot to it, not a small object higher in its box", () => {
    const flat = image(80, 60, () => [0.6, 0.6, 0.6]);
    const scene = image(80, 60, (x, y) => {
      // A dark bluish band at the red square's foot (a metal's reflection), a blue square high in its box.
      if (inRect(x, y, [24, 35, 36, 40])) return [0.15, 0.15, 0.25];
      if (inRect(x, y, [30, 36, 18, 24])) return [0.1, 0.2, 0.8];
      if (inRect(x, y, [20, 39, 20, 39])) return [0.7, 0.1, 0.1];
      return [0.6, 0.6, 0.6];
    });
    const boxes = segmentObjects(scene, flat).map((s) => [s.minX, s.maxX, s.minY, s.maxY]);
    expect(boxes).toHaveLength(2);
    expect(boxes).toContainEqual([20, 39, 20, 40]);
    expect(boxes).toContainEqual([30, 36, 18, 24]);
  });

  it("labels 4-connected components", () => {
    const mask = Uint8Array.from({ length: 25 }, (_, i) => ([0, 1, 5, 12, 18, 24].includes(i) ? 1 : 0));
    const comps = components(mask, 5, 5).map((c) => c.sort((a, b) => a - b));
    expect(comps).toEqual([[0, 1, 5], [12], [18], [24]]);
  });
});

describe("closed-form colours and removal evidence", () => {
  const spec: SceneSpec = {
    objects: [
      {
        name: "cube1",
        shape: "cube",
        size: [1, 1, 1],
        location: [0, 0, 0.5],
        rotationDeg: [0, 0, 0],
        color: [0.4, 0.4, 0.4],
        roughness: 0.5,
        metallic: 0,
      },
    ],
    camera: { location: [0, -9.5, 5.5], lookAt: [0, 0, 0], lensMm: 50, sensorMm: 36 },
    sun: { elevationDeg: 45, azimuthDeg: -60, strength: 3, color: [1, 1, 1], angleDeg: 5 },
    world: { color: [0.5, 0.5, 0.5], strength: 0.6 },
    ground: { color: [0.3, 0.3, 0.3], roughness: 0.8, size: 40 },
    exposure: 0,
  };
  const cam = cameraOf(spec, 80, 60);
  const box = projectedBox(cam, spec.objects[0]!, 0)!;
  const core = (x: number, y: number) =>
    inRect(x, y, [box.minX + 2, box.maxX - 2, box.minY + 2, box.maxY - 2]);
  const backdrop = image(80, 60, () => [0.5, 0.5, 0.5]);
  const render = image(80, 60, (x, y) => (core(x, y) ? [0.4, 0.4, 0.4] : [0.5, 0.5, 0.5]));

  it("scales an object's colour by the target/render ratio of linear light over its pixels", () => {
    const target = image(80, 60, (x, y) => (core(x, y) ? [0.6, 0.2, 0.2] : [0.5, 0.5, 0.5]));
    const labels = objectLabels(spec, render, backdrop);
    expect(labels.filter((l) => l === 0).length).toBeGreaterThan(20);
    const fitted = ratioColours(spec, target, render, backdrop);
    const lin = (v: number) => ((v + 0.055) / 1.055) ** 2.4;
    expect(fitted.objects[0]!.color[0]).toBeCloseTo((0.4 * lin(0.6)) / lin(0.4), 3);
    expect(fitted.objects[0]!.color[1]).toBeCloseTo((0.4 * lin(0.2)) / lin(0.4), 3);
    expect(fitted.ground!.color).toEqual(spec.ground!.color);
    expect(linearRatio(target, render, [])).toBeNull();
  });

  it("calls an object spurious only where the target looks like the render without it", () => {
    const empty = backdrop;
    const noObject = footprintErrors(empty, render, backdrop);
    expect(noObject.without).toBeLessThan(0.5 * noObject.withIt);
    const shifted = image(80, 60, (x, y) => (core(x - 4, y) ? [0.4, 0.4, 0.4] : [0.5, 0.5, 0.5]));
    const misplaced = footprintErrors(shifted, render, backdrop);
    expect(misplaced.without).toBeGreaterThan(0.5 * misplaced.withIt);
  });
});
