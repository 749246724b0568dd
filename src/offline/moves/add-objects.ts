/**
 * Geometry move: where the target differs from the current render by a blob that no
 * object's projected box explains (shadows of rendered objects are part of the render, so
 * they no longer count), place a new object through the camera, as the analysis does for
 * its regions. Each addition is kept only when the loss falls by a clear margin.
 */
import { projectedBox } from "../analysis/object-masks.ts";
import { cameraOf, objectForRegion } from "../analysis/scaffold.ts";
import { DEFAULT_SEGMENT_OPTIONS, type Segment, segmentObjects } from "../analysis/segment.ts";
import { regionMask } from "../analysis/silhouette.ts";
import { acceptIndependent, type Move, sceneOf } from "./edits.ts";

/** Blobs tried per move, largest first. */
const MAX_ADDITIONS = 4;
/**
 * Share of the loss a new object must remove to stay (a description-length penalty): a
 * leftover beside a misplaced object or a shadow's rim lowers the loss a little, a missing
 * object a lot.
 */
const MIN_GAIN = 0.03;

function centreInside(s: Segment, box: { minX: number; maxX: number; minY: number; maxY: number }): boolean {
  const x = (s.minX + s.maxX) / 2;
  const y = (s.minY + s.maxY) / 2;
  return x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY;
}

export const addObjects: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec, render } = scene;
  const target = inc.level.target;
  const cam = cameraOf(spec, target.width, target.height);
  const boxes = spec.objects.map((o) => projectedBox(cam, o, 0)).filter((b) => b !== null);
  const blobs = segmentObjects(target, render, { ...DEFAULT_SEGMENT_OPTIONS, minAreaFraction: 0.004 })
    .filter((s) => !boxes.some((b) => centreInside(s, b)))
    .slice(0, MAX_ADDITIONS);
  const taken = new Set(spec.objects.map((o) => o.name));
  const variants = blobs.flatMap((blob) => {
    const region = regionMask(blob, [], target.width, target.height);
    const object = objectForRegion(target, blob, region, cam, taken);
    if (!object) return [];
    taken.add(object.name);
    const apply = (s: typeof spec) => ({ ...s, objects: [...s.objects, object] });
    return [{ spec: apply(spec), apply }];
  });
  return acceptIndependent(ctx, inc, variants, spec, MIN_GAIN);
};
