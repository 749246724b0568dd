/**
 * Analysis → scaffold: from the photo alone, a SceneSpec the stages then refine. The
 * ground and backdrop come from the background model, objects from segments (a primitive,
 * a size and a place on the ground found by casting the region's lowest point onto the
 * ground through the initial camera), colours from each region's lit pixels divided by
 * the light the scaffold's sun and sky will give, in linear RGB.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject, SceneSpec, Shape } from "../../program/scene-spec.ts";
import { type Background, estimateBackground } from "./background.ts";
import {
  cameraBasis,
  depthOf,
  focalPixels,
  groundPoint,
  initialCamera,
  type PinholeCamera,
  pitchFromHorizon,
} from "./camera.ts";
import { luminance, type Rgb3, srgbToLinear } from "./colour.ts";
import { choosePrimitive } from "./primitive.ts";
import { type Segment, segmentObjects } from "./segment.ts";

export const SUN = { elevationDeg: 45, azimuthDeg: -60, strength: 3, angleDeg: 5 } as const;
export const WORLD_STRENGTH = 0.6;
/** Light falling on an upward-facing surface: sun (Cycles: strength 1 lights white to 1.0) plus sky. */
const IRRADIANCE = SUN.strength * Math.sin((SUN.elevationDeg * Math.PI) / 180) + WORLD_STRENGTH;
/** How much wider than its side a cube looks, turned a typical amount about Z. */
const CUBE_WIDTH_FACTOR = 1.25;

export interface Scaffold {
  spec: SceneSpec;
  background: Background;
  segments: Segment[];
}

function albedo(srgb: Rgb3, lightScale = 1): Rgb3 {
  return srgb.map((v) => Math.min(0.95, Math.max(0.01, srgbToLinear(v) / (IRRADIANCE * lightScale)))) as Rgb3;
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

/** An object standing on the ground whose silhouette is the segment. */
export function objectFromSegment(
  img: RgbImage,
  s: Segment,
  cam: PinholeCamera,
  name: string,
  shape: Shape,
): SceneObject | null {
  const foot = groundPoint(cam, (s.minX + s.maxX) / 2, s.maxY);
  if (!foot) return null;
  const depth = depthOf(cam, foot);
  const f = focalPixels(cam);
  const widthWorld = ((s.maxX - s.minX + 1) * depth) / f;
  const side = shape === "cube" ? widthWorld / CUBE_WIDTH_FACTOR : widthWorld;
  const { forward } = cameraBasis(cam);
  const pitch = Math.asin(-forward[2]);
  const heightPx = s.maxY - s.minY + 1;
  const rawHeight = ((heightPx * depth) / f - side * Math.sin(pitch)) / Math.max(Math.cos(pitch), 0.2);
  const height = shape === "sphere" ? side : Math.min(2.5 * side, Math.max(0.4 * side, rawHeight));
  // The silhouette's lowest point is the footprint's near edge: the centre is half a side further away.
  const level = Math.hypot(forward[0], forward[1]) || 1;
  const location: [number, number, number] = [
    foot[0] + (forward[0] / level) * (side / 2),
    foot[1] + (forward[1] / level) * (side / 2),
    height / 2,
  ];
  return {
    name,
    shape,
    size: [side, side, height],
    location,
    rotationDeg: [0, 0, shape === "cube" ? 30 : 0],
    color: albedo(litColour(img, s)),
    roughness: 0.5,
    metallic: 0,
  };
}

export function buildScaffold(img: RgbImage): Scaffold {
  const background = estimateBackground(img);
  const segments = segmentObjects(img, background);
  const cam = initialCamera(
    pitchFromHorizon(background.horizonRow, img.width, img.height),
    img.width,
    img.height,
  );
  const counts = new Map<Shape, number>();
  const objects: SceneObject[] = [];
  for (const s of segments) {
    const shape = choosePrimitive(s);
    const k = (counts.get(shape) ?? 0) + 1;
    const obj = objectFromSegment(img, s, cam, `${shape}${k}`, shape);
    if (!obj) continue;
    counts.set(shape, k);
    objects.push(obj);
  }
  const sky = background.sky
    ? albedo(background.sky, WORLD_STRENGTH / IRRADIANCE)
    : albedo(background.ground);
  const spec: SceneSpec = {
    objects,
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm: cam.lensMm, sensorMm: cam.sensorMm },
    sun: { ...SUN, color: [1, 1, 1] },
    world: { color: sky, strength: WORLD_STRENGTH },
    ground: { color: albedo(background.ground), roughness: 0.8, size: 60 },
    exposure: 0,
  };
  return { spec, background, segments };
}
