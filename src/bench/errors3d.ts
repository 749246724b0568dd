/**
 * 3D errors of a reconstruction against a ground-truth scene, measured where a single
 * photo defines them: in each scene's own camera frame, with the unknown scale removed.
 *
 * Both scenes are reduced to "things" (truth: the composites of truth.json; reconstruction:
 * primitives grouped by the name prefix before the first `_`, so `mug1_body` and
 * `mug1_handle` are the thing `mug1`). Each thing's parts are moved into its scene's camera
 * frame and boxed along the camera's axes; then every length is divided by the scene's
 * scale — the median depth of its things in front of the camera. A reconstruction built
 * with another world origin, rotation or unit (the camera moved along with it) therefore
 * scores exactly like the truth itself; depth relative to the other objects still counts.
 * The median is over things, so one missing or extra object moves it only a little.
 *
 * Matching is the Hungarian method on the distance between projected centres, which is
 * what the image constrains; a pair only counts when the predicted centre projects within
 * the true thing's projected radius.
 */
import { z } from "zod";
import type { ObjectStats } from "../blender/protocol.ts";
import {
  boxInCamera,
  type CameraBox,
  type CameraFrame,
  cameraFrame,
  depth,
  project,
  type SceneCamera,
} from "./camera-space.ts";
import { colorDifference, type Rgb } from "./ciede2000.ts";
import { hungarianMatch } from "./match.ts";
import { boxVolume, orientedBox, type Vec3 } from "./oriented-box.ts";
import { median } from "./table.ts";

export type MaterialClass = "metal" | "rubber";

/** One primitive of a built scene, as Blender's scene stats describe it. */
export interface ScenePart {
  name: string;
  matrixWorld: readonly number[];
  /** World axis-aligned box of the object's local bounding box. */
  bboxMin: Vec3;
  bboxMax: Vec3;
  color: Rgb;
  metallic: number;
}

export interface PartGroup {
  name: string;
  parts: ScenePart[];
}

export interface MeasuredScene {
  camera: SceneCamera;
  things: PartGroup[];
}

/** A thing in its scene's normalised camera space (lengths in units of the scene scale). */
export interface Thing {
  name: string;
  center: Vec3;
  /** Full extents along the camera's axes. */
  size: Vec3;
  /** Projected centre and radius in image widths; null when the thing is behind the camera. */
  image: { center: [number, number]; radius: number } | null;
  color: Rgb;
  materialClass: MaterialClass;
}

export const ErrorPair = z.object({
  truth: z.string(),
  predicted: z.string(),
  /** Centre distance in normalised camera space. */
  position: z.number(),
  /** Projected centre distance in image widths. */
  image: z.number(),
  size: z.number(),
  color: z.number(),
  material: z.boolean(),
});
export type ErrorPair = z.infer<typeof ErrorPair>;

export const Errors3d = z.object({
  truthCount: z.number().int(),
  predictedCount: z.number().int(),
  countCorrect: z.boolean(),
  matched: z.number().int(),
  /** Matched / truth objects. */
  recall: z.number(),
  /** Matched / predicted objects (1 when nothing was predicted and nothing exists). */
  precision: z.number(),
  /** Mean distance between matched centres in normalised camera space. */
  positionError: z.number().nullable(),
  /** Mean distance between matched projected centres, in image widths. */
  imageError: z.number().nullable(),
  /** Mean ‖size_pred − size_truth‖ / ‖size_truth‖ of the normalised camera-aligned boxes. */
  sizeError: z.number().nullable(),
  /** Mean CIEDE2000 between matched base colours. */
  colorError: z.number().nullable(),
  /** Share of matched objects whose class (metal when metallic > 0.5, else rubber) agrees. */
  materialAccuracy: z.number().nullable(),
  /** Each scene's scale (median thing depth) in its own units. */
  scale: z.object({ truth: z.number(), predicted: z.number() }),
  pairs: z.array(ErrorPair),
  missed: z.array(z.string()),
  extra: z.array(z.string()),
});
export type Errors3d = z.infer<typeof Errors3d>;

/** Blender's surface colour when an object has no Principled material. */
const DEFAULT_COLOR: Rgb = [0.8, 0.8, 0.8];
const GEOMETRY_TYPES = new Set(["MESH", "CURVE", "SURFACE", "META", "FONT"]);
/** Names of the room a reconstruction stands in rather than things in it. */
const STRUCTURE = /^(ground|floor|wall|walls|ceiling|backdrop|background|plane|room)$/;
/** A predicted thing this many truth-scene extents wide is a ground or backdrop, whatever its name. */
const STRUCTURE_SPAN = 3;
/** Smallest matching radius (image widths), so tiny or distant things can still be matched. */
const MIN_MATCH_RADIUS = 0.02;

export function materialClass(metallic: number): MaterialClass {
  return metallic > 0.5 ? "metal" : "rubber";
}

/** `mug1_body` → `mug1`; Blender's duplicate suffix `.001` is ignored. */
export function groupName(objectName: string): string {
  const base = objectName.replace(/\.\d+$/, "");
  const cut = base.indexOf("_");
  return (cut > 0 ? base.slice(0, cut) : base).toLowerCase();
}

export function groupByName(parts: readonly ScenePart[]): PartGroup[] {
  const groups = new Map<string, ScenePart[]>();
  for (const part of parts) {
    const key = groupName(part.name);
    groups.set(key, [...(groups.get(key) ?? []), part]);
  }
  return [...groups].map(([name, members]) => ({ name, parts: members }));
}

/** The scored parts of a built scene: geometry objects only (no camera, lights, empties). */
export function partsFromStats(objects: readonly ObjectStats[]): ScenePart[] {
  return objects
    .filter((o) => GEOMETRY_TYPES.has(o.type))
    .map((o) => ({
      name: o.name,
      matrixWorld: o.matrixWorld,
      bboxMin: o.bboxMin,
      bboxMax: o.bboxMax,
      color: o.baseColor ?? DEFAULT_COLOR,
      metallic: o.metallic ?? 0,
    }));
}

/** The scene's camera from its stats; `name` is the active camera (fingerprint `scene.camera`). */
function cameraFromStats(objects: readonly ObjectStats[], name: string): SceneCamera | null {
  const camera = objects.find((o) => o.type === "CAMERA" && o.name === name);
  if (!camera || camera.lensMm === null || camera.sensorMm === null) return null;
  return { matrixWorld: camera.matrixWorld, lensMm: camera.lensMm, sensorMm: camera.sensorMm };
}

/** A built scene as the benchmark measures it: its active camera and its things. */
export function measuredFromStats(objects: readonly ObjectStats[], cameraName: string): MeasuredScene | null {
  const camera = cameraFromStats(objects, cameraName);
  return camera && { camera, things: groupByName(partsFromStats(objects)) };
}

interface RawThing {
  name: string;
  box: CameraBox;
  color: Rgb;
  materialClass: MaterialClass;
}

/** A group's parts boxed together along the camera's axes; colour and class of its largest part. */
function rawThing(group: PartGroup, frame: CameraFrame): RawThing {
  const boxes = group.parts.map((p) => orientedBox(p.matrixWorld, p.bboxMin, p.bboxMax));
  const inCamera = boxes.map((b) => boxInCamera(frame, b));
  const lo = [0, 1, 2].map((i) => Math.min(...inCamera.map((b) => b.center[i]! - b.half[i]!)));
  const hi = [0, 1, 2].map((i) => Math.max(...inCamera.map((b) => b.center[i]! + b.half[i]!)));
  const largest = boxes.reduce((best, b, i) => (boxVolume(b) > boxVolume(boxes[best]!) ? i : best), 0);
  const part = group.parts[largest]!;
  return {
    name: group.name,
    box: {
      center: [0, 1, 2].map((i) => (lo[i]! + hi[i]!) / 2) as Vec3,
      half: [0, 1, 2].map((i) => (hi[i]! - lo[i]!) / 2) as Vec3,
    },
    color: part.color,
    materialClass: materialClass(part.metallic),
  };
}

/** Median depth of the things in front of the camera; 1 when there are none. */
function sceneScale(things: readonly RawThing[]): number {
  return median(things.map((t) => depth(t.box.center)).filter((d) => d > 1e-9)) ?? 1;
}

function normalise(t: RawThing, scale: number, frame: CameraFrame): Thing {
  const center = t.box.center.map((v) => v / scale) as Vec3;
  const half = t.box.half.map((v) => v / scale) as Vec3;
  const projected = project(frame, center);
  return {
    name: t.name,
    center,
    size: half.map((v) => 2 * v) as Vec3,
    image: projected && {
      center: projected,
      radius: (frame.focal * Math.hypot(half[0], half[1])) / depth(center),
    },
    color: t.color,
    materialClass: t.materialClass,
  };
}

/** Diagonal of the joint box of things (in their normalised space). */
function extentOf(things: readonly Thing[]): number {
  if (things.length === 0) return 1;
  const lo = [0, 1, 2].map((i) => Math.min(...things.map((t) => t.center[i]! - t.size[i]! / 2)));
  const hi = [0, 1, 2].map((i) => Math.max(...things.map((t) => t.center[i]! + t.size[i]! / 2)));
  return Math.hypot(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!);
}

export interface NormalisedScene {
  things: Thing[];
  /** The scale removed, in the scene's own units. */
  scale: number;
}

/** Every group of a scene as a thing in its normalised camera space. */
export function normalisedScene(scene: MeasuredScene): NormalisedScene {
  const frame = cameraFrame(scene.camera);
  const raw = scene.things.map((g) => rawThing(g, frame));
  const scale = sceneScale(raw);
  return { things: raw.map((t) => normalise(t, scale, frame)), scale };
}

/**
 * A reconstruction's things without the room it stands in: structure is dropped by name
 * first, and by size (wider than STRUCTURE_SPAN truth extents) once a scale is known; the
 * scale is then taken again over what is left, so a huge backdrop cannot set it.
 */
function predictedScene(scene: MeasuredScene, truthExtent: number): NormalisedScene {
  const named = {
    ...scene,
    things: scene.things.filter((g) => !STRUCTURE.test(g.name.replace(/\d+$/, ""))),
  };
  const first = normalisedScene(named);
  const kept = new Set(
    first.things.filter((t) => Math.max(...t.size) <= STRUCTURE_SPAN * truthExtent).map((t) => t.name),
  );
  return normalisedScene({ ...named, things: named.things.filter((g) => kept.has(g.name)) });
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(...a.map((v, i) => v - b[i]!));
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Image distance of a pair, or Infinity when the predicted centre is outside the true thing's radius. */
function matchCost(t: Thing, p: Thing): number {
  if (!t.image || !p.image) return Infinity;
  const d = distance(t.image.center, p.image.center);
  return d <= Math.max(MIN_MATCH_RADIUS, t.image.radius) ? d : Infinity;
}

/** Which true objects were found: "3/4 found (cube1→obj2, …); missed: …; extra: …". */
export function describeMatches(e: Errors3d): string {
  const found = e.pairs.map((p) => `${p.truth}→${p.predicted}`).join(", ");
  return [
    `${e.matched}/${e.truthCount} found${found ? ` (${found})` : ""}`,
    e.missed.length ? `missed: ${e.missed.join(", ")}` : "",
    e.extra.length ? `extra: ${e.extra.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Scores predicted things against truth things, both in their normalised camera spaces. */
export function errors3d(truth: NormalisedScene, predicted: NormalisedScene): Errors3d {
  const t = truth.things;
  const p = predicted.things;
  const cost = t.map((a) => p.map((b) => matchCost(a, b)));
  const matching = hungarianMatch(cost, p.length, Number.MAX_VALUE);
  const pairs = matching.pairs.map(([i, j]): ErrorPair => {
    const a = t[i]!;
    const b = p[j]!;
    return {
      truth: a.name,
      predicted: b.name,
      position: distance(a.center, b.center),
      image: cost[i]![j]!,
      size: distance(b.size, a.size) / Math.max(1e-9, Math.hypot(...a.size)),
      color: colorDifference(a.color, b.color),
      material: a.materialClass === b.materialClass,
    };
  });
  return {
    truthCount: t.length,
    predictedCount: p.length,
    countCorrect: t.length === p.length,
    matched: pairs.length,
    recall: t.length === 0 ? 1 : pairs.length / t.length,
    precision: p.length === 0 ? (t.length === 0 ? 1 : 0) : pairs.length / p.length,
    positionError: mean(pairs.map((x) => x.position)),
    imageError: mean(pairs.map((x) => x.image)),
    sizeError: mean(pairs.map((x) => x.size)),
    colorError: mean(pairs.map((x) => x.color)),
    materialAccuracy: pairs.length === 0 ? null : pairs.filter((x) => x.material).length / pairs.length,
    scale: { truth: truth.scale, predicted: predicted.scale },
    pairs,
    missed: matching.unmatchedTruth.map((i) => t[i]!.name),
    extra: matching.unmatchedPrediction.map((j) => p[j]!.name),
  };
}

/** The whole comparison: truth as given, the reconstruction without its room. */
export function compareScenes(truth: MeasuredScene, reconstruction: MeasuredScene): Errors3d {
  const t = normalisedScene(truth);
  return errors3d(t, predictedScene(reconstruction, extentOf(t.things)));
}
