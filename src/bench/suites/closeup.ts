/**
 * Closeup scenes: one large compound object so near the camera that at least two frame
 * edges cut it, on a plain dark or neutral background with no ground, at 320×240.
 */
import type { Random } from "../../random.ts";
import {
  type BenchScene,
  compositeOf,
  linearFromSrgb255,
  placeComposite,
  round,
  type Vec3,
} from "./bench-scene.ts";
import { COMPOUND_KINDS, COMPOUNDS } from "./compound.ts";
import {
  boundsOf,
  cameraAt,
  type Extent,
  fitDistance,
  type Optics,
  orbitDirection,
  projectedExtent,
  surfacePoints,
} from "./framing.ts";

export const CLOSEUP_OPTICS: Optics = { lensMm: 50, sensorMm: 36, width: 320, height: 240 };
/** An edge counts as cut when the outline passes it by this much, in half-frames. */
export const CUT_MARGIN = 1.1;

const BACKGROUNDS: Vec3[] = [
  [20, 20, 22],
  [45, 45, 50],
  [90, 90, 90],
  [35, 45, 70],
  [120, 115, 105],
].map((c) => linearFromSrgb255(c as Vec3));

const r3 = (v: Vec3): Vec3 => v.map((x) => round(x, 3)) as Vec3;

export function cutEdges(e: Extent, margin = CUT_MARGIN): number {
  return [-e.xMin, e.xMax, -e.yMin, e.yMax].filter((v) => v > margin).length;
}

export function closeupScene(random: Random): BenchScene {
  // Drawn before the object, so closeup k does not show object scene k's object.
  const background = random.pick(BACKGROUNDS);
  const kind = random.pick(COMPOUND_KINDS);
  const objects = placeComposite(kind, COMPOUNDS[kind](random), [0, 0, 0], 0);
  const points = surfacePoints(objects);
  const { min, max, center } = boundsOf(points);
  let camera: { location: Vec3; lookAt: Vec3 } | undefined;
  // Views from the front half (templates face +X) are drawn until one cuts two edges; thin
  // objects seen end-on may need a few.
  for (let attempt = 0; attempt < 50 && !camera; attempt++) {
    const lookAt = r3(center.map((c, i) => c + random.uniform(-0.2, 0.2) * (max[i]! - min[i]!)) as Vec3);
    const direction = orbitDirection(random.uniform(0, 40), random.uniform(-100, 100));
    const distance = fitDistance(points, lookAt, direction, CLOSEUP_OPTICS, random.uniform(1.25, 1.7));
    const location = r3(cameraAt(lookAt, direction, distance));
    const extent = projectedExtent(points, location, lookAt, CLOSEUP_OPTICS);
    if (extent && cutEdges(extent) >= 2) camera = { location, lookAt };
  }
  if (!camera) throw new Error(`no closeup view of a ${kind} cuts two frame edges`);
  return {
    spec: {
      objects,
      camera: { ...camera, lensMm: CLOSEUP_OPTICS.lensMm, sensorMm: CLOSEUP_OPTICS.sensorMm },
      sun: {
        elevationDeg: round(random.uniform(30, 70), 1),
        azimuthDeg: round(random.uniform(0, 360), 1),
        strength: round(random.uniform(2.5, 4), 2),
        color: [1, 0.97, 0.92],
        angleDeg: 5,
      },
      world: { color: background, strength: 1 },
      exposure: 0,
    },
    composites: [compositeOf(kind, kind, objects)],
    width: CLOSEUP_OPTICS.width,
    height: CLOSEUP_OPTICS.height,
  };
}
