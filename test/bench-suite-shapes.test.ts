/**
 * The object, topdown and closeup suites keep their framing promises on the spec alone (no
 * Blender): the object fills part of the frame without touching it, the desk is seen from
 * above with its things apart, the closeup subject crosses two frame edges.
 */
import { describe, expect, it } from "vitest";
import type { Vec3 } from "../src/bench/suites/bench-scene.ts";
import { CLOSEUP_OPTICS, closeupScene, cutEdges } from "../src/bench/suites/closeup.ts";
import { projectedExtent, reach, surfacePoints } from "../src/bench/suites/framing.ts";
import { OBJECT_FILL, OBJECT_OPTICS, objectScene } from "../src/bench/suites/object.ts";
import { TOPDOWN_OPTICS, topdownScene } from "../src/bench/suites/topdown.ts";
import type { SceneObject } from "../src/program/scene-spec.ts";
import { createRandom } from "../src/random.ts";

const SEEDS = Array.from({ length: 40 }, (_, i) => i);

function direction(camera: { location: Vec3; lookAt: Vec3 }): Vec3 {
  const d = camera.lookAt.map((v, i) => v - camera.location[i]!) as Vec3;
  const n = Math.hypot(...d);
  return d.map((v) => v / n) as Vec3;
}

describe("object suite", () => {
  it("one compound object of 5–20 parts, white world, no ground, 400×400, filling 55–80 %", () => {
    const kinds = new Set<string>();
    for (const seed of SEEDS) {
      const scene = objectScene(createRandom(seed));
      expect(scene.composites).toHaveLength(1);
      const [thing] = scene.composites;
      kinds.add(thing!.kind);
      expect(thing!.parts.length).toBeGreaterThanOrEqual(5);
      expect(thing!.parts.length).toBeLessThanOrEqual(20);
      expect(scene.spec.ground).toBeUndefined();
      expect(scene.spec.world).toEqual({ color: [1, 1, 1], strength: 1 });
      expect([scene.width, scene.height]).toEqual([400, 400]);
      const elevation = (Math.asin(-direction(scene.spec.camera)[2]) * 180) / Math.PI;
      expect(elevation).toBeGreaterThan(14.5);
      expect(elevation).toBeLessThan(60.5);
      const e = projectedExtent(
        surfacePoints(scene.spec.objects),
        scene.spec.camera.location,
        scene.spec.camera.lookAt,
        OBJECT_OPTICS,
      )!;
      expect(reach(e)).toBeGreaterThan(OBJECT_FILL.min - 0.02);
      expect(reach(e)).toBeLessThan(OBJECT_FILL.max + 0.02);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(6);
  });
});

describe("topdown suite", () => {
  /** Parts by composite; a composite's first part sits at its origin on the desk. */
  const groups = (objects: readonly SceneObject[], parts: string[]) =>
    objects.filter((o) => parts.includes(o.name));

  it("4–7 things lying apart on the desk, seen from 70–88° above, all in frame", () => {
    for (const seed of SEEDS) {
      const { spec, composites } = topdownScene(createRandom(seed));
      expect(composites.length).toBeGreaterThanOrEqual(4);
      expect(composites.length).toBeLessThanOrEqual(7);
      expect(spec.ground).toBeDefined();
      expect(direction(spec.camera)[2]).toBeLessThan(-0.94);
      const things = composites.map((c) => {
        const objects = groups(spec.objects, c.parts);
        const points = surfacePoints(objects);
        const origin = objects[0]!.location;
        const radius = Math.max(...points.map((p) => Math.hypot(p[0] - origin[0], p[1] - origin[1])));
        return { origin, radius, bottom: Math.min(...points.map((p) => p[2])) };
      });
      for (const [i, a] of things.entries()) {
        expect(a.bottom).toBeCloseTo(0, 3);
        for (const b of things.slice(i + 1)) {
          expect(Math.hypot(a.origin[0] - b.origin[0], a.origin[1] - b.origin[1])).toBeGreaterThan(
            a.radius + b.radius,
          );
        }
      }
      const e = projectedExtent(
        surfacePoints(spec.objects),
        spec.camera.location,
        spec.camera.lookAt,
        TOPDOWN_OPTICS,
      )!;
      expect(reach(e)).toBeLessThan(0.95);
    }
  });
});

describe("closeup suite", () => {
  it("one compound object whose outline passes at least two frame edges", () => {
    for (const seed of SEEDS) {
      const { spec, composites } = closeupScene(createRandom(seed));
      expect(composites).toHaveLength(1);
      expect(spec.ground).toBeUndefined();
      const e = projectedExtent(
        surfacePoints(spec.objects),
        spec.camera.location,
        spec.camera.lookAt,
        CLOSEUP_OPTICS,
      )!;
      expect(cutEdges(e)).toBeGreaterThanOrEqual(2);
    }
  });
});
