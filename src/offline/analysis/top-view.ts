/**
 * Objects seen from above lying on the ground (a desk from above): a region shows an object's
 * footprint, so its centre is where the region's centroid ray meets the ground, its length and
 * width are the region's principal extents at that depth, and its turn is the principal axis's.
 * A footprint that fills its oriented box is a box (a book, a lighter, a pencil); a round one
 * a disc (a coin, a lid) or, when its shading varies like a curved surface, a ball. Height
 * cannot be seen from above: flat things are given a fifth of their width.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject, Shape } from "../../program/scene-spec.ts";
import { cameraBasis, depthOf, focalPixels, groundPoint, type PinholeCamera } from "./camera.ts";
import { luminance } from "./colour.ts";
import { pixel } from "./mask.ts";
import { albedo, freshName } from "./scaffold.ts";
import type { Segment } from "./segment.ts";
import { regionMask } from "./silhouette.ts";
import { fitSilhouette } from "./silhouette-fit.ts";

/** Cameras at least this steep see footprints rather than sides. */
export const TOP_VIEW_PITCH_DEG = 55;
/** Fill of its oriented box above which a footprint is a box (a disc fills π/4 ≈ 0.79). */
const BOX_FILL = 0.88;
/** Relative spread of brightness above which a round footprint is a ball rather than a disc. */
const BALL_SHADING = 0.12;

interface Footprint {
  cx: number;
  cy: number;
  /** Unit principal axis in pixels. */
  axis: [number, number];
  length: number;
  width: number;
  fill: number;
}

function footprint(s: Segment, width: number): Footprint {
  const n = s.pixels.length;
  let cx = 0;
  let cy = 0;
  for (const i of s.pixels) {
    cx += (i % width) + 0.5;
    cy += Math.floor(i / width) + 0.5;
  }
  cx /= n;
  cy /= n;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (const i of s.pixels) {
    const dx = (i % width) + 0.5 - cx;
    const dy = Math.floor(i / width) + 0.5 - cy;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
  }
  const angle = 0.5 * Math.atan2(2 * xy, xx - yy);
  const axis: [number, number] = [Math.cos(angle), Math.sin(angle)];
  let [minA, maxA, minB, maxB] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const i of s.pixels) {
    const dx = (i % width) + 0.5 - cx;
    const dy = Math.floor(i / width) + 0.5 - cy;
    const a = dx * axis[0] + dy * axis[1];
    const b = -dx * axis[1] + dy * axis[0];
    [minA, maxA, minB, maxB] = [Math.min(minA, a), Math.max(maxA, a), Math.min(minB, b), Math.max(maxB, b)];
  }
  const length = maxA - minA + 1;
  const w = maxB - minB + 1;
  return { cx, cy, axis, length, width: w, fill: n / (length * w) };
}

function shading(img: RgbImage, s: Segment): number {
  const values = s.pixels.map((i) => luminance(pixel(img, i)));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return sd / Math.max(mean, 1e-3);
}

function shapeOf(img: RgbImage, s: Segment, f: Footprint): Shape {
  if (f.fill >= BOX_FILL || f.length > 1.6 * f.width) return "cube";
  return shading(img, s) > BALL_SHADING ? "sphere" : "cylinder";
}

/** The object lying on the ground whose footprint the segment shows; null when its centre misses the ground. */
function objectFromTopView(
  img: RgbImage,
  s: Segment,
  cam: PinholeCamera,
  taken: ReadonlySet<string>,
): SceneObject | null {
  const f = footprint(s, img.width);
  const centre = groundPoint(cam, f.cx - 0.5, f.cy - 0.5);
  const tip = groundPoint(cam, f.cx - 0.5 + f.axis[0] * 10, f.cy - 0.5 + f.axis[1] * 10);
  if (!centre || !tip) return null;
  const metresPerPixel = depthOf(cam, centre) / focalPixels(cam);
  const shape = shapeOf(img, s, f);
  const length = f.length * metresPerPixel;
  const width = f.width * metresPerPixel;
  const round = shape !== "cube";
  const side = round ? (length + width) / 2 : 0;
  const height = shape === "sphere" ? side : shape === "cylinder" ? side / 4 : Math.min(width, length) / 5;
  const size: [number, number, number] = round ? [side, side, height] : [length, width, height];
  const yaw = (Math.atan2(tip[1] - centre[1], tip[0] - centre[0]) * 180) / Math.PI;
  // The ray through the footprint meets the top face, `height` above the ground: nearer the camera than `centre`.
  const { forward } = cameraBasis(cam);
  // A ball's outline is its middle, half its height up.
  const back = (shape === "sphere" ? height / 2 : height) / Math.max(-forward[2], 0.2);
  return {
    name: freshName(shape, taken),
    shape,
    size,
    location: [centre[0] - forward[0] * back, centre[1] - forward[1] * back, height / 2],
    rotationDeg: [0, 0, round ? 0 : yaw],
    color: albedo(s.mean),
    roughness: 0.5,
    metallic: 0,
  };
}

/** Objects for the segments seen from above, in segment order. */
export function objectsFromTopView(
  img: RgbImage,
  segments: readonly Segment[],
  cam: PinholeCamera,
): { object: SceneObject; segment: Segment }[] {
  const taken = new Set<string>();
  const out: { object: SceneObject; segment: Segment }[] = [];
  for (const s of segments) {
    const start = objectFromTopView(img, s, cam, taken);
    if (!start) continue;
    // A box's footprint is read off exactly; a round one's place and size are fitted to its outline.
    const object =
      start.shape === "cube"
        ? start
        : fitSilhouette(cam, start, regionMask(s, segments, img.width, img.height)).object;
    taken.add(object.name);
    out.push({ object, segment: s });
  }
  return out;
}
