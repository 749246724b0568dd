/**
 * The scaffold of scenes with no ground to see (object-centric photos and close-ups): the
 * world is the backdrop, and the things rest on an invisible floor through the point the
 * camera orbits, so the ground-based placement of scaffold.ts still fixes their depth.
 * Regions that touch are the parts of one thing, named `<thing>_<part>`: a vehicle is a body,
 * a cab and a blade rather than three unrelated shapes.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject, SceneSpec } from "../../program/scene-spec.ts";
import { initialCamera } from "./camera.ts";
import { maxAbsDiff, type Rgb3, srgbToLinear } from "./colour.ts";
import { pixel } from "./mask.ts";
import { SUN } from "./scaffold.ts";
import type { Segment } from "./segment.ts";

/** sRGB distance within which a target pixel shows the backdrop (scene-kind-cue.ts uses the same). */
const BACKDROP_TOLERANCE = 0.05;
/** Regions closer than this many pixels touch (an edge between two colours is a pixel or two wide). */
const TOUCH_PIXELS = 2;

/** The scene without objects and without a ground: the world shows the backdrop's colour. */
export function floatingSpec(
  backdrop: Rgb3,
  width: number,
  height: number,
  pitchDeg: number,
  lensMm: number,
): SceneSpec {
  const cam = initialCamera(pitchDeg, width, height, lensMm);
  return {
    objects: [],
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm, sensorMm: cam.sensorMm },
    sun: { ...SUN, color: [1, 1, 1] },
    world: { color: backdrop.map((c) => Math.min(1, Math.max(0.005, srgbToLinear(c)))) as Rgb3, strength: 1 },
    exposure: 0,
  };
}

/** Target pixels that show the backdrop: where its colour is fitted. */
export function backdropPixels(img: RgbImage, backdrop: Rgb3): number[] {
  const out: number[] = [];
  for (let i = 0; i < img.width * img.height; i++)
    if (maxAbsDiff(pixel(img, i), backdrop) <= BACKDROP_TOLERANCE) out.push(i);
  return out;
}

function touching(
  a: Segment,
  b: Segment,
  labelOf: Int32Array,
  width: number,
  height: number,
  bLabel: number,
): boolean {
  if (a.minX > b.maxX + TOUCH_PIXELS || b.minX > a.maxX + TOUCH_PIXELS) return false;
  if (a.minY > b.maxY + TOUCH_PIXELS || b.minY > a.maxY + TOUCH_PIXELS) return false;
  for (const i of a.pixels) {
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -TOUCH_PIXELS; dy <= TOUCH_PIXELS; dy++)
      for (let dx = -TOUCH_PIXELS; dx <= TOUCH_PIXELS; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && labelOf[ny * width + nx] === bLabel)
          return true;
      }
  }
  return false;
}

/** For each segment, the index of the group of touching segments it belongs to (groups numbered in segment order). */
export function touchingGroups(segments: readonly Segment[], width: number, height: number): number[] {
  const labelOf = new Int32Array(width * height).fill(-1);
  segments.forEach((s, k) => {
    for (const i of s.pixels) labelOf[i] = k;
  });
  const parent = segments.map((_, k) => k);
  const root = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r]!;
    return r;
  };
  for (let a = 0; a < segments.length; a++)
    for (let b = a + 1; b < segments.length; b++)
      if (root(a) !== root(b) && touching(segments[a]!, segments[b]!, labelOf, width, height, b))
        parent[root(b)] = root(a);
  const numbering = new Map<number, number>();
  return segments.map((_, k) => {
    const r = root(k);
    if (!numbering.has(r)) numbering.set(r, numbering.size);
    return numbering.get(r)!;
  });
}

/**
 * Objects renamed as parts of things: objects from touching segments become `thing<k>_<shape><n>`;
 * an object alone keeps its name. `segmentIndex[i]` is the segment object i was made from.
 */
export function namedAsParts(
  objects: readonly SceneObject[],
  segmentIndex: readonly number[],
  groups: readonly number[],
): SceneObject[] {
  const members = new Map<number, number>();
  for (const s of segmentIndex) members.set(groups[s]!, (members.get(groups[s]!) ?? 0) + 1);
  const thingNumber = new Map<number, number>();
  return objects.map((o, i) => {
    const group = groups[segmentIndex[i]!]!;
    if ((members.get(group) ?? 0) < 2) return o;
    if (!thingNumber.has(group)) thingNumber.set(group, thingNumber.size + 1);
    return { ...o, name: `thing${thingNumber.get(group)}_${o.name}` };
  });
}
