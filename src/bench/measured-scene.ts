/**
 * A built scene as the 3D errors see it: primitives grouped into things by name prefix
 * (`mug1_body` and `mug1_handle` are `mug1`), moved into the scene's camera frame, boxed along
 * the camera's axes, and scaled by the median depth of the things (errors3d.ts explains why).
 */
import type { ObjectStats } from "../blender/protocol.ts";
import type { Shape } from "../program/scene-spec.ts";
import {
  boxInCamera,
  type CameraBox,
  type CameraFrame,
  cameraFrame,
  depth,
  project,
  type SceneCamera,
} from "./camera-space.ts";
import type { Rgb } from "./ciede2000.ts";
import { boxVolume, orientedBox, type Vec3 } from "./oriented-box.ts";
import { shapeClass } from "./shape-class.ts";
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
  /** Its primitive class (shape-class.ts), when it is a closed mesh or known from the truth. */
  shape: Shape | null;
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
  /** The class of its largest part. */
  shape: Shape | null;
}

/** Blender's surface colour when an object has no Principled material. */
const DEFAULT_COLOR: Rgb = [0.8, 0.8, 0.8];
const GEOMETRY_TYPES = new Set(["MESH", "CURVE", "SURFACE", "META", "FONT"]);
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
      shape: shapeClass(o.volumeRatio, o.eulerCharacteristic),
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
  shape: Shape | null;
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
    shape: part.shape,
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
    shape: t.shape,
  };
}

/** Diagonal of the joint box of things (in their normalised space). */
export function extentOf(things: readonly Thing[]): number {
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
