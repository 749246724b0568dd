import { describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import { initialCamera } from "../src/offline/analysis/camera.ts";
import { withShadowRatio } from "../src/offline/analysis/light-balance.ts";
import { backgroundSpec, objectForRegion } from "../src/offline/analysis/scaffold.ts";
import { segmentOf } from "../src/offline/analysis/segment.ts";
import {
  convexHull,
  FITTED_SHAPES,
  REGION,
  type RegionMask,
  scanPolygon,
  silhouette,
  silhouetteIoU,
  silhouetteMask,
} from "../src/offline/analysis/silhouette.ts";
import { bestSilhouetteFit, fitSilhouette } from "../src/offline/analysis/silhouette-fit.ts";
import { splitRegion } from "../src/offline/analysis/split-region.ts";
import type { SceneObject, Shape } from "../src/program/scene-spec.ts";

const cam = initialCamera(30, 160, 120, 50);

function object(shape: Shape, at: [number, number], side: number, yaw = 0): SceneObject {
  return {
    name: shape,
    shape,
    size: [side, side, side],
    location: [at[0], at[1], side / 2],
    rotationDeg: [0, 0, yaw],
    color: [0.5, 0.5, 0.5],
    roughness: 0.5,
    metallic: 0,
  };
}

/** The region a perfect segmentation of `objects` (one hue, touching) would give. */
function regionOf(...objects: SceneObject[]): RegionMask {
  const cells = silhouetteMask(cam, objects, cam.width, cam.height);
  return { width: cam.width, height: cam.height, cells, area: cells.reduce((a, c) => a + c, 0) };
}

describe("silhouettes", () => {
  it("takes the convex hull of points, dropping those inside", () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [1, 0.5],
    ]);
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual([1, 1]);
  });

  it("fills a polygon by pixel centres", () => {
    let area = 0;
    scanPolygon(
      [
        [10, 10],
        [20, 10],
        [20, 15],
        [10, 15],
      ],
      160,
      120,
      (x0, x1) => {
        area += x1 - x0 + 1;
      },
    );
    expect(area).toBe(50);
  });

  it("projects a sphere to a disc as wide as its diameter at its depth", () => {
    const ball = object("sphere", [0, 0], 2);
    const polygon = silhouette(cam, ball)!;
    const xs = polygon.map((p) => p[0]);
    const width = Math.max(...xs) - Math.min(...xs);
    const depth = Math.hypot(...cam.location.map((c, i) => c - ball.location[i]!));
    const expected = (2 * (50 / 36) * 160) / Math.sqrt(depth ** 2 - 1);
    expect(width).toBeGreaterThan(expected * 0.98);
    expect(width).toBeLessThan(expected * 1.02);
  });

  it("scores a silhouette against itself 1 and against a moved copy less", () => {
    const cube = object("cube", [0.5, 0], 1.5, 20);
    expect(silhouetteIoU(cam, [cube], regionOf(cube))).toBe(1);
    expect(silhouetteIoU(cam, [object("cube", [1.5, 0], 1.5, 20)], regionOf(cube))).toBeLessThan(0.5);
  });
});

describe("fitting a primitive to a region", () => {
  it("recovers a turned cube's place, size and turn from a displaced start", () => {
    const truth = object("cube", [1, -1], 1.4, 35);
    const fit = fitSilhouette(cam, object("cube", [1.4, -0.6], 1.1, 10), regionOf(truth));
    expect(fit.iou).toBeGreaterThan(0.93);
    expect(Math.hypot(fit.object.location[0] - 1, fit.object.location[1] + 1)).toBeLessThan(0.2);
    expect(fit.object.size[0]).toBeCloseTo(1.4, 0);
  });

  it.each(["cube", "sphere", "cylinder"] as const)(
    "tells a %s from the other primitives by its outline",
    (shape) => {
      const truth = object(shape, [-0.5, 0.5], 1.6, 30);
      const starts = FITTED_SHAPES.map((s) => object(s, [-0.2, 0.3], 1.3, 0));
      expect(bestSilhouetteFit(cam, starts, regionOf(truth))!.object.shape).toBe(shape);
    },
  );
});

describe("one region, two objects", () => {
  const img = rgbImage(cam.width, cam.height, new Float32Array(cam.width * cam.height * 3).fill(0.5), "flat");
  const split = (region: RegionMask) => {
    const pixels = [...region.cells.keys()].filter((i) => region.cells[i] === REGION);
    const taken = new Set<string>();
    const place = (part: ReturnType<typeof segmentOf>, r: RegionMask) => {
      const o = objectForRegion(img, part, r, cam, taken);
      if (o) taken.add(o.name);
      return o;
    };
    const single = place(segmentOf(img, pixels), region)!;
    return splitRegion(img, region, cam, single, place);
  };

  it("splits a large cube and a smaller one touching it into two", () => {
    const pair = split(regionOf(object("cube", [-0.8, 0], 1.6, 20), object("cube", [0.6, 0.6], 0.9, 50)));
    expect(pair).toHaveLength(2);
    const sizes = pair!.map((o) => o.size[0]).sort((a, b) => a - b);
    expect(sizes[0]).toBeCloseTo(0.9, 0);
    expect(sizes[1]).toBeCloseTo(1.6, 0);
  });

  it.each(["cube", "sphere", "cylinder"] as const)("leaves a lone %s whole", (shape) => {
    expect(split(regionOf(object(shape, [0.3, -0.4], 1.5, 25)))).toBeNull();
  });
});

describe("light balance", () => {
  it("splits the ground's light so a shadow keeps the given share, the total unchanged", () => {
    const spec = backgroundSpec(
      { rows: [], ground: [0.5, 0.5, 0.5], sky: null, horizonRow: 0 },
      160,
      120,
      50,
    );
    const light = (s: typeof spec) => {
      const sun = (s.sun.strength * Math.sin((s.sun.elevationDeg * Math.PI) / 180)) / Math.PI;
      const sky =
        (0.2126 * s.world.color[0] + 0.7152 * s.world.color[1] + 0.0722 * s.world.color[2]) *
        s.world.strength;
      return { sun, sky };
    };
    const before = light(spec);
    const after = light(withShadowRatio(spec, 0.3));
    expect(after.sun + after.sky).toBeCloseTo(before.sun + before.sky, 9);
    expect(after.sky / (after.sun + after.sky)).toBeCloseTo(0.3, 9);
  });
});

describe("degenerate regions", () => {
  it("fits nothing to an empty region and leaves the object as it was", () => {
    const empty: RegionMask = {
      width: cam.width,
      height: cam.height,
      cells: new Uint8Array(cam.width * cam.height),
      area: 0,
    };
    const start = object("cube", [0, 0], 1, 10);
    expect(silhouetteIoU(cam, [start], empty)).toBe(0);
    expect(fitSilhouette(cam, start, empty).object).toEqual(start);
  });
});
