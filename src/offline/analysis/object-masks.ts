/**
 * Which pixels of a render show which object: inside the object's projected bounding box,
 * different from the render of the background alone, and owned by the nearest object when
 * boxes overlap. No object-index pass is needed from Blender.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject, SceneSpec } from "../../program/scene-spec.ts";
import { depthOf, type PinholeCamera, projectPoint } from "./camera.ts";
import { residualMap } from "./residual.ts";
import { cameraOf } from "./scaffold.ts";
import { rotate } from "./silhouette.ts";

type Vec3 = [number, number, number];

export interface PixelBox {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * The corners whose screen box bounds the object: turned about Z only, its footprint's
 * circumscribed square (generous, as the search turns it); tilted (a lying pencil, an
 * extrusion facing the camera), its turned box's own corners.
 */
function boundingCorners(o: SceneObject): Vec3[] {
  const tilted = o.rotationDeg[0] !== 0 || o.rotationDeg[1] !== 0;
  const r = Math.hypot(o.size[0], o.size[1]) / 2;
  const signs = [-1, 1];
  return signs.flatMap((sx) =>
    signs.flatMap((sy) =>
      signs.map((sz): Vec3 => {
        const offset: Vec3 = tilted
          ? rotate([(sx * o.size[0]) / 2, (sy * o.size[1]) / 2, (sz * o.size[2]) / 2], o.rotationDeg)
          : [sx * r, sy * r, (sz * o.size[2]) / 2];
        return [o.location[0] + offset[0], o.location[1] + offset[1], o.location[2] + offset[2]];
      }),
    ),
  );
}

/** The screen box of an object (boundingCorners), or null off screen. */
export function projectedBox(cam: PinholeCamera, o: SceneObject, margin = 1): PixelBox | null {
  const points = boundingCorners(o)
    .map((c) => projectPoint(cam, c))
    .filter((p): p is [number, number] => p !== null);
  if (points.length === 0) return null;
  const box = {
    minX: Math.max(0, Math.floor(Math.min(...points.map((p) => p[0])) - margin)),
    maxX: Math.min(cam.width - 1, Math.ceil(Math.max(...points.map((p) => p[0])) + margin)),
    minY: Math.max(0, Math.floor(Math.min(...points.map((p) => p[1])) - margin)),
    maxY: Math.min(cam.height - 1, Math.ceil(Math.max(...points.map((p) => p[1])) + margin)),
  };
  return box.minX > box.maxX || box.minY > box.maxY ? null : box;
}

/** Per pixel, the index of the object the render shows there, or -1 for background. */
export function objectLabels(
  spec: SceneSpec,
  render: RgbImage,
  backdrop: RgbImage,
  threshold = 0.06,
): Int32Array {
  const cam = cameraOf(spec, render.width, render.height);
  const labels = new Int32Array(render.width * render.height).fill(-1);
  const changed = residualMap(render, backdrop);
  const order = spec.objects
    .map((o, i) => ({
      i,
      depth: depthOf(cam, o.location as [number, number, number]),
      box: projectedBox(cam, o),
    }))
    .sort((a, b) => b.depth - a.depth);
  // Far to near, so a nearer object overwrites the pixels it hides.
  for (const { i, box } of order) {
    if (!box) continue;
    for (let y = box.minY; y <= box.maxY; y++)
      for (let x = box.minX; x <= box.maxX; x++) {
        const p = y * render.width + x;
        if (changed[p]! > threshold) labels[p] = i;
      }
  }
  return labels;
}
