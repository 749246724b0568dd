/**
 * Silhouettes of primitives through the camera, and fitting one to a found region.
 *
 * Every primitive the offline method places is convex, so its silhouette is the convex
 * hull of its projected outline points — no render needed, a few microseconds per shape.
 * That makes the shape choice a matter of geometry rather than of colour: at the working
 * resolution a wrongly coloured or lit cube and sphere render about equally far from the
 * photo, while their outlines differ clearly (a cube's straight edges and corners, a
 * cylinder's flat sides under an elliptic top, a sphere's circle).
 */
import type { SceneObject, Shape } from "../../program/scene-spec.ts";
import { type PinholeCamera, projector } from "./camera.ts";

type Vec3 = [number, number, number];
type Point = [number, number];

/** The shapes a region is fitted with. */
export const FITTED_SHAPES: readonly Shape[] = ["cube", "sphere", "cylinder", "cone"];

const CIRCLE_SEGMENTS = 32;
const SPHERE_POINTS = 400;

function circle(z: number): Vec3[] {
  return Array.from({ length: CIRCLE_SEGMENTS }, (_, k) => {
    const a = (2 * Math.PI * k) / CIRCLE_SEGMENTS;
    return [0.5 * Math.cos(a), 0.5 * Math.sin(a), z];
  });
}

/** Fibonacci points on the unit-diameter sphere: their hull is within 0.5 % of the true outline. */
const SPHERE: Vec3[] = Array.from({ length: SPHERE_POINTS }, (_, k) => {
  const z = 1 - (2 * (k + 0.5)) / SPHERE_POINTS;
  const r = Math.sqrt(1 - z * z);
  const a = k * Math.PI * (3 - Math.sqrt(5));
  return [0.5 * r * Math.cos(a), 0.5 * r * Math.sin(a), 0.5 * z];
});
const CUBE: Vec3[] = [-0.5, 0.5].flatMap((x) =>
  [-0.5, 0.5].flatMap((y) => [-0.5, 0.5].map((z) => [x, y, z] as Vec3)),
);
const CYLINDER: Vec3[] = [...circle(-0.5), ...circle(0.5)];
const CONE: Vec3[] = [...circle(-0.5), [0, 0, 0.5]];

/** An extrusion's outline at both ends, its box stretched to [-0.5, 0.5]² as shapes.py does. */
function extrusionOutline(outline: readonly (readonly [number, number])[]): Vec3[] {
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  const span = [Math.max(Math.max(...xs) - x0, 1e-9), Math.max(Math.max(...ys) - y0, 1e-9)];
  return [-0.5, 0.5].flatMap((z) =>
    outline.map(([x, y]): Vec3 => [(x - x0) / span[0]! - 0.5, (y - y0) / span[1]! - 0.5, z]),
  );
}

/**
 * Unit primitives span [-0.5, 0.5] on every axis, as in emitted programs; a torus is bounded
 * by its cylinder, an extrusion by its outline's hull (silhouettes here are convex).
 */
function unitOutline(o: SceneObject): Vec3[] {
  const { shape } = o;
  if (shape === "extrusion" && o.outline) return extrusionOutline(o.outline);
  if (shape === "cube") return CUBE;
  if (shape === "sphere") return SPHERE;
  if (shape === "cone") return CONE;
  return CYLINDER;
}

/** Blender's XYZ Euler: world = Rz · Ry · Rx · local. */
export function rotate(p: Vec3, deg: readonly number[]): Vec3 {
  const [ax, ay, az] = deg.map((d) => (d * Math.PI) / 180) as Vec3;
  let [x, y, z] = p;
  [y, z] = [y * Math.cos(ax) - z * Math.sin(ax), y * Math.sin(ax) + z * Math.cos(ax)];
  [x, z] = [x * Math.cos(ay) + z * Math.sin(ay), -x * Math.sin(ay) + z * Math.cos(ay)];
  [x, y] = [x * Math.cos(az) - y * Math.sin(az), x * Math.sin(az) + y * Math.cos(az)];
  return [x, y, z];
}

/** Andrew's monotone chain; counter-clockwise in image coordinates' orientation. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (pts: Point[]) => {
    const out: Point[] = [];
    for (const p of pts) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half(sorted.reverse())];
}

/** The object's silhouette polygon in pixels, or null when part of it is behind the camera. */
export function silhouette(cam: PinholeCamera, o: SceneObject): Point[] | null {
  const project = projector(cam);
  const points: Point[] = [];
  for (const local of unitOutline(o)) {
    const scaled: Vec3 = [local[0] * o.size[0], local[1] * o.size[1], local[2] * o.size[2]];
    const r = rotate(scaled, o.rotationDeg);
    const p = project([o.location[0] + r[0], o.location[1] + r[1], o.location[2] + r[2]]);
    if (!p) return null;
    points.push(p);
  }
  return convexHull(points);
}

/** Calls `visit(x0, x1, y)` for each row's run of pixels whose centres lie inside the convex polygon. */
export function scanPolygon(
  polygon: readonly Point[],
  width: number,
  height: number,
  visit: (x0: number, x1: number, y: number) => void,
): void {
  if (polygon.length < 3) return;
  const ys = polygon.map((p) => p[1]);
  const top = Math.max(0, Math.ceil(Math.min(...ys) - 0.5));
  const bottom = Math.min(height - 1, Math.floor(Math.max(...ys) - 0.5));
  for (let y = top; y <= bottom; y++) {
    const yc = y + 0.5;
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < polygon.length; k++) {
      const a = polygon[k]!;
      const b = polygon[(k + 1) % polygon.length]!;
      if ((a[1] - yc) * (b[1] - yc) > 0 || a[1] === b[1]) continue;
      const x = a[0] + ((yc - a[1]) / (b[1] - a[1])) * (b[0] - a[0]);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
    const x0 = Math.max(0, Math.ceil(left - 0.5));
    const x1 = Math.min(width - 1, Math.floor(right - 0.5));
    if (x0 <= x1) visit(x0, x1, y);
  }
}

/** 1 where the objects' silhouettes cover a pixel centre of a `width` × `height` image, else 0. */
export function silhouetteMask(
  cam: PinholeCamera,
  objects: readonly SceneObject[],
  width: number,
  height: number,
): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const o of objects) {
    const polygon = silhouette(cam, o);
    if (polygon)
      scanPolygon(polygon, width, height, (x0, x1, y) => mask.fill(1, y * width + x0, y * width + x1 + 1));
  }
  return mask;
}

/** A region to fit: 1 where the region is, 2 where it may be hidden (a nearer object), 0 elsewhere. */
export interface RegionMask {
  width: number;
  height: number;
  cells: Uint8Array;
  area: number;
}

export const REGION = 1;
export const HIDDEN = 2;

/** Silhouette pixels inside the region, and outside it where nothing may hide the objects. */
export interface Coverage {
  inside: number;
  spill: number;
  area: number;
}

/** How well a silhouette explains a region: higher is better, 1 at most. */
export type CoverageScore = (c: Coverage) => number;

export const intersectionOverUnion: CoverageScore = (c) => c.inside / (c.area + c.spill);

/** Rewards covering the region but punishes spilling out of it three times as hard: the largest primitive inside the region. */
export const inscribed: CoverageScore = (c) => (c.inside - 3 * c.spill) / c.area;

export function coverage(
  cam: PinholeCamera,
  objects: readonly SceneObject[],
  region: RegionMask,
): Coverage | null {
  if (region.area === 0) return null;
  // Where silhouettes overlap, a pixel counts once.
  const seen = objects.length > 1 ? new Uint8Array(region.cells.length) : null;
  let inside = 0;
  let spill = 0;
  for (const o of objects) {
    const polygon = silhouette(cam, o);
    if (!polygon) return null;
    scanPolygon(polygon, region.width, region.height, (x0, x1, y) => {
      for (let i = y * region.width + x0, end = y * region.width + x1; i <= end; i++) {
        if (seen) {
          if (seen[i]) continue;
          seen[i] = 1;
        }
        const c = region.cells[i];
        if (c === REGION) inside++;
        else if (c !== HIDDEN) spill++;
      }
    });
  }
  return { inside, spill, area: region.area };
}

/** Intersection over union of the objects' joint silhouette and the region, not counting silhouette pixels that may be hidden. */
export function silhouetteIoU(
  cam: PinholeCamera,
  objects: readonly SceneObject[],
  region: RegionMask,
): number {
  const c = coverage(cam, objects, region);
  return c ? intersectionOverUnion(c) : 0;
}

/** The segment as a region; pixels of segments reaching lower in the image (nearer on the ground) may hide it. */
export function regionMask(
  segment: { pixels: readonly number[]; maxY: number },
  others: readonly { pixels: readonly number[]; maxY: number }[],
  width: number,
  height: number,
): RegionMask {
  const cells = new Uint8Array(width * height);
  for (const o of others)
    if (o !== segment && o.maxY > segment.maxY) for (const i of o.pixels) cells[i] = HIDDEN;
  for (const i of segment.pixels) cells[i] = REGION;
  return { width, height, cells, area: segment.pixels.length };
}
