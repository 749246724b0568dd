/**
 * Object scenes, like NeRF-Synthetic (Mildenhall et al. 2020): one compound object of
 * 5–20 parts (a vehicle, a figure, furniture, a lamp, a mug) on a white background with no
 * ground, lit by a sun, seen at 400×400 from a camera on a sphere around its centre.
 */
import type { Random } from "../../random.ts";
import { type BenchScene, compositeOf, placeComposite, round, type Vec3 } from "./bench-scene.ts";
import { COMPOUND_KINDS, COMPOUNDS } from "./compound.ts";
import { boundsOf, cameraAt, fitDistance, type Optics, orbitDirection, surfacePoints } from "./framing.ts";

/** A 50 mm lens on a 36 mm sensor: a field of view of about 40°. */
export const OBJECT_OPTICS: Optics = { lensMm: 50, sensorMm: 36, width: 400, height: 400 };
/** How far the object's outline reaches from the frame's centre, in half-frames. */
export const OBJECT_FILL = { min: 0.55, max: 0.8 };

const r3 = (v: Vec3): Vec3 => v.map((x) => round(x, 3)) as Vec3;

export function objectScene(random: Random): BenchScene {
  const kind = random.pick(COMPOUND_KINDS);
  const objects = placeComposite(kind, COMPOUNDS[kind](random), [0, 0, 0], 0);
  const points = surfacePoints(objects);
  const lookAt = r3(boundsOf(points).center);
  const direction = orbitDirection(random.uniform(15, 60), random.uniform(0, 360));
  const fill = random.uniform(OBJECT_FILL.min, OBJECT_FILL.max);
  const distance = fitDistance(points, lookAt, direction, OBJECT_OPTICS, fill);
  return {
    spec: {
      objects,
      camera: {
        location: r3(cameraAt(lookAt, direction, distance)),
        lookAt,
        lensMm: OBJECT_OPTICS.lensMm,
        sensorMm: OBJECT_OPTICS.sensorMm,
      },
      sun: {
        elevationDeg: round(random.uniform(35, 70), 1),
        azimuthDeg: round(random.uniform(0, 360), 1),
        strength: round(random.uniform(1.5, 2.5), 2),
        color: [1, 1, 1],
        angleDeg: 5,
      },
      // Seen directly, a white world of strength 1 renders as exactly white under the
      // Standard view transform lighting.py sets.
      world: { color: [1, 1, 1], strength: 1 },
      exposure: 0,
    },
    composites: [compositeOf(kind, kind, objects)],
    width: OBJECT_OPTICS.width,
    height: OBJECT_OPTICS.height,
  };
}
