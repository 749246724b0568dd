/**
 * Where a suite's camera must stand to frame its objects: points on every part's surface
 * (from the spec alone, before Blender builds anything), projected the way Blender's camera
 * projects them, and the distance at which they fill a chosen share of the frame. Suites
 * that promise "the object never touches the frame" or "the subject crosses the frame" can
 * only keep that promise from the shapes' real outlines, not from a bounding sphere.
 */
import type { SceneObject, Shape } from "../../program/scene-spec.ts";
import type { Vec3 } from "./bench-scene.ts";

export interface Optics {
  lensMm: number;
  /** Sensor width: the image width is fit to it (Blender's horizontal sensor fit). */
  sensorMm: number;
  width: number;
  height: number;
}

/** Projected points' extent, in half-frames: the frame is [-1, 1] on both axes. */
export interface Extent {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

const RING = 24;

function ring(radius: number, z: number, count = RING): Vec3[] {
  return Array.from({ length: count }, (_, i) => {
    const a = (2 * Math.PI * i) / count;
    return [radius * Math.cos(a), radius * Math.sin(a), z] as Vec3;
  });
}

/** Points on the outline of each unit primitive of geometry.py (spanning [-0.5, 0.5]). */
const BOX_CORNERS = [-0.5, 0.5].flatMap((x) =>
  [-0.5, 0.5].flatMap((y) => [-0.5, 0.5].map((z) => [x, y, z] as Vec3)),
);

/** Points on the outline of each unit primitive of geometry.py (spanning [-0.5, 0.5]); shapes with a form of their own frame by their box. */
const UNIT_POINTS: Record<Shape, Vec3[]> = {
  cube: BOX_CORNERS,
  superquadric: BOX_CORNERS,
  capsule: BOX_CORNERS,
  lathe: BOX_CORNERS,
  extrusion: BOX_CORNERS,
  cylinder: [...ring(0.5, -0.5), ...ring(0.5, 0.5)],
  cone: [...ring(0.5, -0.5), [0, 0, 0.5]],
  sphere: [
    [0, 0, -0.5],
    [0, 0, 0.5],
    ...[-60, -30, 0, 30, 60].flatMap((lat) => {
      const a = (lat * Math.PI) / 180;
      return ring(0.5 * Math.cos(a), 0.5 * Math.sin(a));
    }),
  ],
  // geometry.py's torus: major radius 0.375, tube 0.125, the tube's height stretched to the full size.
  torus: [0, 45, 90, 135, 180, 225, 270, 315].flatMap((deg) => {
    const v = (deg * Math.PI) / 180;
    return ring(0.375 + 0.125 * Math.cos(v), 0.5 * Math.sin(v));
  }),
};

/** Blender's XYZ Euler rotation: X first, then Y, then Z. */
function rotate([x, y, z]: Vec3, [rx, ry, rz]: Vec3): Vec3 {
  const [a, b, c] = [rx, ry, rz].map((d) => (d * Math.PI) / 180) as Vec3;
  const y1 = y * Math.cos(a) - z * Math.sin(a);
  const z1 = y * Math.sin(a) + z * Math.cos(a);
  const x2 = x * Math.cos(b) + z1 * Math.sin(b);
  const z2 = -x * Math.sin(b) + z1 * Math.cos(b);
  return [x2 * Math.cos(c) - y1 * Math.sin(c), x2 * Math.sin(c) + y1 * Math.cos(c), z2];
}

export function surfacePoints(objects: readonly SceneObject[]): Vec3[] {
  return objects.flatMap((o) =>
    UNIT_POINTS[o.shape].map((p) => {
      const scaled: Vec3 = [p[0] * o.size[0], p[1] * o.size[1], p[2] * o.size[2]];
      const r = rotate(scaled, o.rotationDeg);
      return [r[0] + o.location[0], r[1] + o.location[1], r[2] + o.location[2]] as Vec3;
    }),
  );
}

export function boundsOf(points: readonly Vec3[]): { min: Vec3; max: Vec3; center: Vec3 } {
  const min = [0, 1, 2].map((i) => Math.min(...points.map((p) => p[i]!))) as Vec3;
  const max = [0, 1, 2].map((i) => Math.max(...points.map((p) => p[i]!))) as Vec3;
  return { min, max, center: [0, 1, 2].map((i) => (min[i]! + max[i]!) / 2) as Vec3 };
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** Unit vector from a target toward a camera at this elevation and azimuth (from +X toward +Y). */
export function orbitDirection(elevationDeg: number, azimuthDeg: number): Vec3 {
  const el = (elevationDeg * Math.PI) / 180;
  const az = (azimuthDeg * Math.PI) / 180;
  return [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
}

/**
 * The extent of `points` seen from `location` looking at `lookAt`, with composition.py's
 * look_at (−Z forward, +Y as close to world up as it gets); null when a point is not in front.
 */
export function projectedExtent(
  points: readonly Vec3[],
  location: Vec3,
  lookAt: Vec3,
  optics: Optics,
): Extent | null {
  const forward = unit(sub(lookAt, location));
  const right = unit(cross(forward, [0, 0, 1]));
  const up = cross(right, forward);
  const focal = optics.lensMm / optics.sensorMm;
  const halfHeight = (0.5 * optics.height) / optics.width;
  const extent: Extent = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
  for (const p of points) {
    const d = sub(p, location);
    const depth = dot(d, forward);
    if (depth <= 1e-6) return null;
    const x = (focal * dot(d, right)) / depth / 0.5;
    const y = (focal * dot(d, up)) / depth / halfHeight;
    extent.xMin = Math.min(extent.xMin, x);
    extent.xMax = Math.max(extent.xMax, x);
    extent.yMin = Math.min(extent.yMin, y);
    extent.yMax = Math.max(extent.yMax, y);
  }
  return extent;
}

/** How far the farthest point reaches from the frame's centre, in half-frames. */
export function reach(e: Extent): number {
  return Math.max(-e.xMin, e.xMax, -e.yMin, e.yMax);
}

/**
 * The camera distance from `lookAt` along `direction` at which the points reach `fill`
 * half-frames from the centre. Reach shrinks as the camera backs away, so bisection finds it.
 */
export function fitDistance(
  points: readonly Vec3[],
  lookAt: Vec3,
  direction: Vec3,
  optics: Optics,
  fill: number,
): number {
  const radius = Math.max(...points.map((p) => Math.hypot(...sub(p, lookAt))));
  const at = (d: number) => {
    const e = projectedExtent(points, cameraAt(lookAt, direction, d), lookAt, optics);
    return e ? reach(e) : Infinity;
  };
  let lo = radius * 1.001;
  let hi = radius * 1000;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) > fill) lo = mid;
    else hi = mid;
  }
  return hi;
}

export function cameraAt(lookAt: Vec3, direction: Vec3, distance: number): Vec3 {
  return [0, 1, 2].map((i) => lookAt[i]! + direction[i]! * distance) as Vec3;
}
