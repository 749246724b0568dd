/**
 * 3D errors of a reconstruction against a ground-truth scene. Both sides are reduced to
 * "things": primitives grouped by the name prefix before the first `_` (`mug1_body` and
 * `mug1_handle` are the thing `mug1`), each with a world bounding box, a colour and a
 * material class taken from its largest part. The reconstruction's side comes from the
 * Blender worker's scene stats, so any program can be scored, not only emitted ones.
 */
import type { ObjectStats } from "../blender/protocol.ts";
import { colorDifference, type Rgb } from "./ciede2000.ts";
import { hungarianMatch } from "./match.ts";

export type Vec3 = [number, number, number];
export type MaterialClass = "metal" | "rubber";

export interface Thing {
  name: string;
  bboxMin: Vec3;
  bboxMax: Vec3;
  color: Rgb;
  materialClass: MaterialClass;
}

export interface ThingPart {
  name: string;
  bboxMin: Vec3;
  bboxMax: Vec3;
  color: Rgb;
  metallic: number;
}

export interface Errors3d {
  truthCount: number;
  predictedCount: number;
  countCorrect: boolean;
  matched: number;
  /** Matched / truth objects. */
  recall: number;
  /** Matched / predicted objects (1 when nothing was predicted and nothing exists). */
  precision: number;
  /** Mean distance between matched bounding-box centres over the scene extent. */
  positionError: number | null;
  /** Mean ‖size_pred − size_truth‖ / ‖size_truth‖ of matched bounding boxes. */
  sizeError: number | null;
  /** Mean CIEDE2000 between matched colours. */
  colorError: number | null;
  /** Share of matched objects whose class (metal when metallic > 0.5, else rubber) agrees. */
  materialAccuracy: number | null;
  /** Diagonal of the truth objects' joint bounding box, in metres. */
  sceneExtent: number;
  pairs: {
    truth: string;
    predicted: string;
    position: number;
    size: number;
    color: number;
    material: boolean;
  }[];
  missed: string[];
  extra: string[];
}

/** Blender's surface colour when an object has no Principled material. */
const DEFAULT_COLOR: Rgb = [0.8, 0.8, 0.8];
const GEOMETRY_TYPES = new Set(["MESH", "CURVE", "SURFACE", "META", "FONT"]);
/** Names of the room a reconstruction stands in rather than things in it. */
const STRUCTURE = /^(ground|floor|wall|walls|ceiling|backdrop|background|plane|room)$/;
/** Matches farther apart than this share of the scene extent are a miss plus an extra. */
export const MAX_MATCH_DISTANCE = 0.35;
/** A predicted thing this many scene extents wide is a ground or backdrop, whatever its name. */
const STRUCTURE_SPAN = 3;

export function materialClass(metallic: number): MaterialClass {
  return metallic > 0.5 ? "metal" : "rubber";
}

/** `mug1_body` → `mug1`; Blender's duplicate suffix `.001` is ignored. */
export function groupName(objectName: string): string {
  const base = objectName.replace(/\.\d+$/, "");
  const cut = base.indexOf("_");
  return (cut > 0 ? base.slice(0, cut) : base).toLowerCase();
}

export function groupParts(parts: readonly ThingPart[]): Thing[] {
  const groups = new Map<string, ThingPart[]>();
  for (const part of parts) {
    const key = groupName(part.name);
    groups.set(key, [...(groups.get(key) ?? []), part]);
  }
  return [...groups].map(([name, members]) => {
    const largest = members.reduce((a, b) => (volume(b) > volume(a) ? b : a));
    return {
      name,
      bboxMin: [0, 1, 2].map((i) => Math.min(...members.map((m) => m.bboxMin[i]!))) as Vec3,
      bboxMax: [0, 1, 2].map((i) => Math.max(...members.map((m) => m.bboxMax[i]!))) as Vec3,
      color: largest.color,
      materialClass: materialClass(largest.metallic),
    };
  });
}

/** The scored parts of a built scene: geometry objects only (no camera, lights, empties). */
export function partsFromStats(objects: readonly ObjectStats[]): ThingPart[] {
  return objects
    .filter((o) => GEOMETRY_TYPES.has(o.type))
    .map((o) => ({
      name: o.name,
      bboxMin: o.bboxMin,
      bboxMax: o.bboxMax,
      color: o.baseColor ?? DEFAULT_COLOR,
      metallic: o.metallic ?? 0,
    }));
}

/** Drops grounds, walls and anything far wider than the scene from a reconstruction's things. */
export function withoutStructure(things: readonly Thing[], sceneExtent: number): Thing[] {
  return things.filter((t) => {
    if (STRUCTURE.test(t.name.replace(/\d+$/, ""))) return false;
    const span = Math.max(t.bboxMax[0] - t.bboxMin[0], t.bboxMax[1] - t.bboxMin[1]);
    return span <= STRUCTURE_SPAN * sceneExtent;
  });
}

export function sceneExtent(things: readonly Thing[]): number {
  if (things.length === 0) return 1;
  const lo = [0, 1, 2].map((i) => Math.min(...things.map((t) => t.bboxMin[i]!)));
  const hi = [0, 1, 2].map((i) => Math.max(...things.map((t) => t.bboxMax[i]!)));
  return Math.max(1e-6, Math.hypot(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!));
}

export function center(t: Thing): Vec3 {
  return [0, 1, 2].map((i) => (t.bboxMin[i]! + t.bboxMax[i]!) / 2) as Vec3;
}

export function extents(t: { bboxMin: Vec3; bboxMax: Vec3 }): Vec3 {
  return [0, 1, 2].map((i) => t.bboxMax[i]! - t.bboxMin[i]!) as Vec3;
}

function volume(p: { bboxMin: Vec3; bboxMax: Vec3 }): number {
  const [x, y, z] = extents(p);
  // Flat parts (a plane, a label) still need an order: fall back to area.
  return x * y * z || x * y + y * z + x * z;
}

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Scores predicted things against truth things (structure already removed from both). */
export function errors3d(truth: readonly Thing[], predicted: readonly Thing[]): Errors3d {
  const extent = sceneExtent(truth);
  const cost = truth.map((t) => predicted.map((p) => distance(center(t), center(p)) / extent));
  const matching = hungarianMatch(cost, predicted.length, MAX_MATCH_DISTANCE);
  const pairs = matching.pairs.map(([i, j]) => {
    const t = truth[i]!;
    const p = predicted[j]!;
    const ts = extents(t);
    return {
      truth: t.name,
      predicted: p.name,
      position: cost[i]![j]!,
      size: distance(extents(p), ts) / Math.max(1e-9, Math.hypot(...ts)),
      color: colorDifference(t.color, p.color),
      material: t.materialClass === p.materialClass,
    };
  });
  const materialHits = pairs.filter((p) => p.material).length;
  return {
    truthCount: truth.length,
    predictedCount: predicted.length,
    countCorrect: truth.length === predicted.length,
    matched: pairs.length,
    recall: truth.length === 0 ? 1 : pairs.length / truth.length,
    precision: predicted.length === 0 ? (truth.length === 0 ? 1 : 0) : pairs.length / predicted.length,
    positionError: mean(pairs.map((p) => p.position)),
    sizeError: mean(pairs.map((p) => p.size)),
    colorError: mean(pairs.map((p) => p.color)),
    materialAccuracy: pairs.length === 0 ? null : materialHits / pairs.length,
    sceneExtent: extent,
    pairs,
    missed: matching.unmatchedTruth.map((i) => truth[i]!.name),
    extra: matching.unmatchedPrediction.map((j) => predicted[j]!.name),
  };
}
