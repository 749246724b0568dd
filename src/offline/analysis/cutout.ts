/**
 * A region no primitive explains (a chair, a lamp's arm, a mug with its handle) as an
 * extrusion of its outline facing the camera: the outline's pixels are cast onto the plane
 * across the region's central ray at the object's depth, so the front face projects exactly
 * onto the region, and the solid is extruded away from the camera. Seen from the photo's
 * camera it is the region; from elsewhere it reads as a slab of that outline, a blocked-out
 * stand-in to refine by hand rather than the object's true depth.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import { cameraBasis, focalPixels, type PinholeCamera } from "./camera.ts";
import type { PixelPoint } from "./outline.ts";

type Vec3 = [number, number, number];

/** Thickness as a share of the outline's smaller side: thin enough that its sides barely show. */
const THICKNESS_SHARE = 0.3;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const unit = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(...a));
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/** The ray through image point (px, py) in pixel units (pixel x covers [x, x + 1]). */
function rayThrough(cam: PinholeCamera, px: number, py: number): Vec3 {
  const { forward, right, up } = cameraBasis(cam);
  const f = focalPixels(cam);
  const x = (px - cam.width / 2) / f;
  const y = (cam.height / 2 - py) / f;
  return unit(add(forward, add(scale(right, x), scale(up, y))));
}

/** Blender's XYZ Euler (world = Rz · Ry · Rx · local) of the rotation whose columns are u, v, w. */
function eulerXyzDeg(u: Vec3, v: Vec3, w: Vec3): Vec3 {
  const deg = (r: number) => (r * 180) / Math.PI;
  return [
    deg(Math.atan2(v[2], w[2])),
    deg(Math.asin(Math.max(-1, Math.min(1, -u[2])))),
    deg(Math.atan2(u[1], u[0])),
  ];
}

/**
 * The extrusion whose front face projects onto `outline` (pixel units of `cam`'s image),
 * its front `depth` metres from the camera along the outline's central ray.
 */
export function cutoutObject(
  cam: PinholeCamera,
  outline: readonly PixelPoint[],
  depth: number,
  base: Pick<SceneObject, "name" | "color" | "roughness" | "metallic">,
): SceneObject {
  const cx = outline.reduce((s, p) => s + p[0], 0) / outline.length;
  const cy = outline.reduce((s, p) => s + p[1], 0) / outline.length;
  const axis = rayThrough(cam, cx, cy);
  const { right } = cameraBasis(cam);
  // Local X along the camera's right, Y up the image, Z towards the camera: the front face is z = +0.5.
  const u = unit(add(right, scale(axis, -dot(right, axis))));
  const w = scale(axis, -1);
  const v = cross(w, u);
  const onPlane = outline.map(([px, py]): [number, number] => {
    const ray = rayThrough(cam, px, py);
    const p = scale(ray, depth / dot(ray, axis));
    return [dot(p, u), dot(p, v)];
  });
  const us = onPlane.map((p) => p[0]);
  const vs = onPlane.map((p) => p[1]);
  const [minU, maxU, minV, maxV] = [Math.min(...us), Math.max(...us), Math.min(...vs), Math.max(...vs)];
  const span: [number, number] = [Math.max(maxU - minU, 1e-6), Math.max(maxV - minV, 1e-6)];
  const thickness = THICKNESS_SHARE * Math.min(...span);
  const centre = add(
    cam.location,
    add(scale(axis, depth + thickness / 2), add(scale(u, (minU + maxU) / 2), scale(v, (minV + maxV) / 2))),
  );
  const clampHalf = (x: number) => Math.min(0.5, Math.max(-0.5, x));
  return {
    ...base,
    shape: "extrusion",
    size: [span[0], span[1], thickness],
    location: centre,
    rotationDeg: eulerXyzDeg(u, v, w),
    outline: onPlane.map(([a, b]): [number, number] => [
      clampHalf((a - minU) / span[0] - 0.5),
      clampHalf((b - minV) / span[1] - 0.5),
    ]),
  };
}
