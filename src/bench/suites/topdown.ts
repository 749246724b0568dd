/**
 * Top-down scenes: a desk (wood, grey, white or dark) seen from above, pitched 70–88°
 * down, with 4–7 everyday things lying on it apart from each other, all in frame, at
 * 320×240.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import type { Random } from "../../random.ts";
import {
  type BenchScene,
  type Composite,
  compositeOf,
  linearFromSrgb255,
  placeComposite,
  round,
  scatter,
  type Vec3,
} from "./bench-scene.ts";
import { DESK_ITEMS, deskItem } from "./desk-items.ts";
import { boundsOf, cameraAt, fitDistance, type Optics, orbitDirection, surfacePoints } from "./framing.ts";

export const TOPDOWN_OPTICS: Optics = { lensMm: 35, sensorMm: 36, width: 320, height: 240 };
/** Steeper than this and composition.py's look_at has no horizontal direction to keep up. */
const MIN_ITEMS = 4;
export const PITCH = { min: 70, max: 88 };

const DESKS: Vec3[] = [
  [150, 105, 70],
  [120, 85, 55],
  [140, 140, 145],
  [225, 222, 215],
  [55, 55, 60],
].map((c) => linearFromSrgb255(c as Vec3));

const r3 = (v: Vec3): Vec3 => v.map((x) => round(x, 3)) as Vec3;

export function topdownScene(random: Random): BenchScene {
  const count = random.int(MIN_ITEMS, 7);
  const kinds = Array.from({ length: count }, () => random.pick(DESK_ITEMS));
  // Largest first: a notebook finds no room once small things are scattered everywhere.
  const items = kinds
    .map((kind) => ({ kind, ...deskItem(kind, random) }))
    .sort((a, b) => b.radius - a.radius);
  const desk = { xMin: -0.29, xMax: 0.29, yMin: -0.22, yMax: 0.22 };
  let spots = scatter(
    random,
    items.map((i) => i.radius),
    desk,
    0.015,
  );
  // Two notebooks and a pencil can crowd the desk; a new layout keeps the promised four.
  for (let retry = 0; retry < 20 && spots.length < MIN_ITEMS; retry++) {
    spots = scatter(
      random,
      items.map((i) => i.radius),
      desk,
      0.015,
    );
  }
  const objects: SceneObject[] = [];
  const composites: Composite[] = [];
  spots.forEach((spot, i) => {
    const item = items[spot.index]!;
    const name = `${item.kind}${i + 1}`;
    const parts = placeComposite(name, item.parts, [spot.x, spot.y, 0], round(random.uniform(0, 360), 1));
    objects.push(...parts);
    composites.push(compositeOf(name, item.kind, parts));
  });
  const points = surfacePoints(objects);
  const { center } = boundsOf(points);
  const lookAt = r3([center[0], center[1], 0]);
  const direction = orbitDirection(random.uniform(PITCH.min, PITCH.max), random.uniform(0, 360));
  const distance = fitDistance(points, lookAt, direction, TOPDOWN_OPTICS, random.uniform(0.8, 0.92));
  return {
    spec: {
      objects,
      camera: {
        location: r3(cameraAt(lookAt, direction, distance)),
        lookAt,
        lensMm: TOPDOWN_OPTICS.lensMm,
        sensorMm: TOPDOWN_OPTICS.sensorMm,
      },
      sun: {
        elevationDeg: round(random.uniform(40, 75), 1),
        azimuthDeg: round(random.uniform(0, 360), 1),
        strength: round(random.uniform(2.5, 4), 2),
        color: [1, 0.97, 0.92],
        angleDeg: 6,
      },
      world: { color: [0.55, 0.6, 0.7], strength: 0.6 },
      ground: { color: random.pick(DESKS), roughness: 0.6, size: 4 },
      exposure: 0,
    },
    composites,
    width: TOPDOWN_OPTICS.width,
    height: TOPDOWN_OPTICS.height,
  };
}
