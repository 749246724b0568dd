/**
 * Silhouette IoU: how well a reconstruction covers the photo's pixels, from object-index masks
 * of the truth program and of the reconstruction, each rendered through its own camera at the
 * target's size (blender/mask.ts). A pixel belongs to the thing whose part is frontmost there,
 * so a thing's silhouette is what the camera sees of it, occlusion included.
 *
 * Things are those the 3D errors score (errors3d.ts): truth composites by their parts,
 * reconstruction groups by name prefix without the room; every other object (ground, walls,
 * a backdrop) counts as background. Per matched pair the IoU of the two silhouettes; the
 * scene's number is the mean over truth things with each unmatched one counting 0, so a
 * missed object costs as much as a wholly wrong one. The foreground IoU compares the union of
 * all things on each side, matching or not. Where both silhouettes are empty the IoU is 1:
 * both agree nothing of the thing shows.
 */
import type { ObjectMask } from "../blender/mask.ts";
import type { Errors3d } from "./errors3d.ts";
import { groupName, type PartGroup } from "./measured-scene.ts";

/** Per pixel, the index of its thing, or −1. */
function thingPixels(mask: ObjectMask, thingOf: (objectName: string) => number | undefined): Int32Array {
  const byId = new Map<number, number>();
  for (const [id, name] of mask.names) {
    const thing = thingOf(name);
    if (thing !== undefined) byId.set(id, thing);
  }
  return Int32Array.from(mask.ids, (id) => byId.get(id) ?? -1);
}

function iou(intersection: number, a: number, b: number): number {
  const union = a + b - intersection;
  return union === 0 ? 1 : intersection / union;
}

/** Areas of each side's things and of their overlaps, in one pass over the pixels. */
function overlaps(truth: Int32Array, predicted: Int32Array) {
  const truthArea = new Map<number, number>();
  const predictedArea = new Map<number, number>();
  // Keyed truth · 65536 + predicted (a mask has at most 65535 ids).
  const shared = new Map<number, number>();
  const fg = { truth: 0, predicted: 0, both: 0 };
  const add = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t >= 0) add(truthArea, t);
    if (p >= 0) add(predictedArea, p);
    if (t >= 0 && p >= 0) add(shared, t * 65536 + p);
    fg.truth += t >= 0 ? 1 : 0;
    fg.predicted += p >= 0 ? 1 : 0;
    fg.both += t >= 0 && p >= 0 ? 1 : 0;
  }
  return { truthArea, predictedArea, shared, fg };
}

/**
 * The 3D errors with silhouettes: each pair's IoU, their mean over truth things (missed: 0)
 * and the foreground IoU. `truthThings` are the scored truth things with their parts.
 */
export function withSilhouettes(
  e: Errors3d,
  truthThings: readonly PartGroup[],
  truthMask: ObjectMask,
  predictedMask: ObjectMask,
): Errors3d {
  if (truthMask.width !== predictedMask.width || truthMask.height !== predictedMask.height) {
    throw new Error("the truth and reconstruction masks differ in size");
  }
  const truthIndex = new Map(truthThings.flatMap((t, i) => t.parts.map((p) => [p.name, i] as const)));
  // The reconstruction's things are those errors3d kept (matched or extra), not its room.
  const kept = [...e.pairs.map((p) => p.predicted), ...e.extra];
  const predictedIndex = new Map(kept.map((name, i) => [name, i]));
  const areas = overlaps(
    thingPixels(truthMask, (name) => truthIndex.get(name)),
    thingPixels(predictedMask, (name) => predictedIndex.get(groupName(name))),
  );
  const pairs = e.pairs.map((pair) => {
    const t = truthThings.findIndex((thing) => thing.name === pair.truth);
    const p = predictedIndex.get(pair.predicted)!;
    const silhouette = iou(
      areas.shared.get(t * 65536 + p) ?? 0,
      areas.truthArea.get(t) ?? 0,
      areas.predictedArea.get(p) ?? 0,
    );
    return { ...pair, silhouette };
  });
  const total = pairs.reduce((sum, p) => sum + p.silhouette, 0);
  return {
    ...e,
    pairs,
    silhouetteIoU: e.truthCount === 0 ? null : total / e.truthCount,
    foregroundIoU: iou(areas.fg.both, areas.fg.truth, areas.fg.predicted),
  };
}
