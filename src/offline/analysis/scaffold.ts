/**
 * Analysis → scaffold pieces, from the photo alone: the background scene (ground, backdrop,
 * camera prior, sun) and objects standing on the ground whose silhouettes are the found
 * regions (a primitive, a size from the region's width at its depth, a place found by
 * casting the region's lowest point onto the ground through the camera). The
 * render-and-compare fit of these pieces is initialise.ts.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject, SceneSpec, Shape } from "../../program/scene-spec.ts";
import type { Background } from "./background.ts";
import {
  CAMERA_DISTANCE,
  cameraBasis,
  depthOf,
  focalPixels,
  groundPoint,
  initialCamera,
  type PinholeCamera,
  pitchFromHorizon,
} from "./camera.ts";
import { luminance, type Rgb3, srgbToLinear } from "./colour.ts";
import { colourParts } from "./colour-parts.ts";
import { cutoutObject } from "./cutout.ts";
import { regionOutline } from "./outline.ts";
import { type Segment, segmentOf } from "./segment.ts";
import { FITTED_SHAPES, type RegionMask, regionMask, silhouetteIoU } from "./silhouette.ts";
import { bestSilhouetteFit } from "./silhouette-fit.ts";
import { splitRegion } from "./split-region.ts";

export const SUN = { elevationDeg: 45, azimuthDeg: -60, strength: 3, angleDeg: 5 } as const;
export const WORLD_STRENGTH = 0.6;
/** Light falling on an upward-facing surface: sun (Cycles: strength 1 lights white to 1.0) plus sky. */
const IRRADIANCE = SUN.strength * Math.sin((SUN.elevationDeg * Math.PI) / 180) + WORLD_STRENGTH;
/** How much wider than its side a cube looks, turned a typical amount about Z. */
const CUBE_WIDTH_FACTOR = 1.25;

export function albedo(srgb: readonly number[], lightScale = 1): Rgb3 {
  return [0, 1, 2].map((c) =>
    Math.min(0.95, Math.max(0.01, srgbToLinear(srgb[c]!) / (IRRADIANCE * lightScale))),
  ) as Rgb3;
}

/** Mean colour of the region's lit side: its brightest half without the top 10 % (highlights). */
function litColour(img: RgbImage, s: Segment): Rgb3 {
  const colours = s.pixels.map((i) => [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!] as Rgb3);
  colours.sort((a, b) => luminance(a) - luminance(b));
  const band = colours.slice(
    Math.floor(colours.length * 0.5),
    Math.max(Math.floor(colours.length * 0.9), Math.floor(colours.length * 0.5) + 1),
  );
  return [0, 1, 2].map((c) => band.reduce((acc, p) => acc + p[c]!, 0) / band.length) as Rgb3;
}

/**
 * How far the silhouette's lowest ray meets the ground in front of the object's centre:
 * a sphere's tangent ray lands r·tan(pitch/2) before its contact point, a cylinder's rim
 * is a radius in front, a turned cube's nearest corner about 0.6 of a side.
 */
function footOffset(shape: Shape, side: number, pitch: number): number {
  if (shape === "sphere") return (side / 2) * Math.tan(pitch / 2);
  if (shape === "cube") return 0.6 * side;
  return side / 2;
}

/** The camera a scene spec's PARAMS describe, for an image of `width` × `height`. */
export function cameraOf(spec: SceneSpec, width: number, height: number): PinholeCamera {
  return {
    location: [...spec.camera.location],
    lookAt: [...spec.camera.lookAt],
    lensMm: spec.camera.lensMm,
    sensorMm: spec.camera.sensorMm,
    width,
    height,
  };
}

/**
 * A foot this far away (in camera distances) stands just under the horizon, where a row
 * more or less moves it tens of metres: such a region is a backdrop's edge or a table's far
 * side, not an object on this ground, and a stand-in there only distorts the 3D layout.
 */
const MAX_FOOT_DISTANCE = 4 * CAMERA_DISTANCE;

/** An object standing on the ground whose silhouette is the segment (pixel coordinates of `cam`'s image). */
export function objectFromSegment(
  img: RgbImage,
  s: Segment,
  cam: PinholeCamera,
  name: string,
  shape: Shape,
): SceneObject | null {
  const centreX = (s.minX + s.maxX) / 2;
  const foot = groundPoint(cam, centreX, s.maxY);
  if (!foot || Math.hypot(foot[0] - cam.location[0], foot[1] - cam.location[1]) > MAX_FOOT_DISTANCE)
    return null;
  const { forward } = cameraBasis(cam);
  const pitch = Math.asin(-forward[2]);
  const f = focalPixels(cam);
  const widthPx = s.maxX - s.minX + 1;
  const level = Math.hypot(forward[0], forward[1]) || 1;
  // The size depends on the centre's depth and the centre on the size: two rounds settle it.
  let side = (widthPx * depthOf(cam, foot)) / f;
  let centre = foot;
  for (let round = 0; round < 2; round++) {
    const ahead = footOffset(shape, side, pitch);
    centre = [foot[0] + (forward[0] / level) * ahead, foot[1] + (forward[1] / level) * ahead, 0];
    const width = (widthPx * depthOf(cam, [centre[0], centre[1], side / 2])) / f;
    side = shape === "cube" ? width / CUBE_WIDTH_FACTOR : width;
  }
  const heightPx = s.maxY - s.minY + 1;
  const depth = depthOf(cam, [centre[0], centre[1], side / 2]);
  const rawHeight = ((heightPx * depth) / f - side * Math.sin(pitch)) / Math.max(Math.cos(pitch), 0.2);
  // Silhouette heights include shadows and reflections more often than not: stay near a cube's proportions.
  const height = shape === "sphere" ? side : Math.min(1.6 * side, Math.max(0.6 * side, rawHeight));
  return {
    name,
    shape,
    size: [side, side, height],
    location: [centre[0], centre[1], height / 2],
    rotationDeg: [0, 0, shape === "cube" ? 30 : 0],
    color: albedo(litColour(img, s)),
    roughness: 0.5,
    metallic: 0,
  };
}

/** A name for a new object of `shape` not yet taken in `taken`. */
export function freshName(shape: Shape, taken: ReadonlySet<string>): string {
  for (let k = 1; ; k++) if (!taken.has(`${shape}${k}`)) return `${shape}${k}`;
}

/**
 * The object for a region: each primitive placed from the region's box, then placed, sized
 * and turned so its silhouette covers the region best; the best-fitting shape wins. Null
 * when the region misses the ground.
 */
export function objectForRegion(
  img: RgbImage,
  s: Segment,
  region: RegionMask,
  cam: PinholeCamera,
  taken: ReadonlySet<string>,
): SceneObject | null {
  const starts = FITTED_SHAPES.map((shape) => objectFromSegment(img, s, cam, shape, shape)).filter(
    (o) => o !== null,
  );
  const fit = bestSilhouetteFit(cam, starts, region);
  return fit ? { ...fit.object, name: freshName(fit.object.shape, taken) } : null;
}

/**
 * A region whose best primitive covers it worse than this is no primitive: in a scene
 * without ground (an object on a backdrop, a close-up) it becomes an extrusion of its
 * outline (cutout.ts). On a ground such regions are mostly shadows and clutter, which the
 * later stages handle.
 */
const OUTLINE_BELOW_IOU = 0.9;

/**
 * The region as extrusions of its outline at the depth of the primitive fitted to it, one per
 * part of one colour (colour-parts.ts); none when it has no outline.
 */
function cutoutsForRegion(
  img: RgbImage,
  s: Segment,
  cam: PinholeCamera,
  fitted: SceneObject,
  taken: Set<string>,
): SceneObject[] {
  const depth = depthOf(cam, fitted.location as [number, number, number]);
  const out: SceneObject[] = [];
  for (const part of colourParts(img, s.pixels)) {
    const outline = regionOutline(part, img.width);
    if (!outline) continue;
    const name = freshName("extrusion", taken);
    taken.add(name);
    const color = albedo(litColour(img, segmentOf(img, part)));
    out.push(cutoutObject(cam, outline, depth, { name, color, roughness: fitted.roughness, metallic: 0 }));
  }
  return out;
}

export interface SegmentObjectOptions {
  /** Regions no primitive explains become extrusions of their outlines. */
  outlines: boolean;
}

/** Objects for the segments (see objectForRegion), two where one region holds two (split-region.ts); a nearer segment may hide part of a farther one. */
export function objectsFromSegments(
  img: RgbImage,
  segments: readonly Segment[],
  cam: PinholeCamera,
  { outlines }: SegmentObjectOptions = { outlines: false },
): { object: SceneObject; segment: Segment }[] {
  const taken = new Set<string>();
  const out: { object: SceneObject; segment: Segment }[] = [];
  for (const s of segments) {
    const region = regionMask(s, segments, img.width, img.height);
    const object = objectForRegion(img, s, region, cam, taken);
    if (!object) continue;
    const cutouts =
      outlines && silhouetteIoU(cam, [object], region) < OUTLINE_BELOW_IOU
        ? cutoutsForRegion(img, s, cam, object, taken)
        : [];
    if (cutouts.length > 0) {
      out.push(...cutouts.map((cutout) => ({ object: cutout, segment: s })));
      continue;
    }
    taken.add(object.name);
    const pair = splitRegion(img, region, cam, object, (part, partRegion) => {
      const o = objectForRegion(img, part, partRegion, cam, taken);
      if (o) taken.add(o.name);
      return o;
    });
    for (const o of pair ?? [object]) {
      taken.add(o.name);
      out.push({ object: o, segment: s });
    }
  }
  return out;
}

/** The scene without objects: camera pitched to the horizon, ground and backdrop colours, a default sun. */
export function backgroundSpec(
  background: Background,
  width: number,
  height: number,
  lensMm: number,
): SceneSpec {
  const cam = initialCamera(pitchFromHorizon(background.horizonRow, width, height, lensMm), width, height);
  const sky = background.sky
    ? albedo(background.sky, WORLD_STRENGTH / IRRADIANCE)
    : albedo(background.ground);
  return {
    objects: [],
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm, sensorMm: cam.sensorMm },
    sun: { ...SUN, color: [1, 1, 1] },
    world: { color: sky, strength: WORLD_STRENGTH },
    ground: { color: albedo(background.ground), roughness: 0.8, size: 60 },
    exposure: 0,
  };
}
