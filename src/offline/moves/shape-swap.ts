/**
 * Geometry move: each object as each other primitive, kept where the render gets closer.
 * An alternative is first placed, sized and turned so that its silhouette covers the
 * pixels the object shows in the photo (silhouette.ts); compared at the object's current
 * place and size, a shape that would fit better elsewhere loses to the one already fitted.
 */

import { type SceneSpec, withShape } from "../../program/scene-spec.ts";
import { depthOf } from "../analysis/camera.ts";
import { objectLabels } from "../analysis/object-masks.ts";
import { cameraOf } from "../analysis/scaffold.ts";
import { FITTED_SHAPES, HIDDEN, REGION, type RegionMask } from "../analysis/silhouette.ts";
import { fitSilhouette } from "../analysis/silhouette-fit.ts";
import { acceptIndependent, backdropOf, type Move, sceneOf } from "./edits.ts";

type Vec3 = [number, number, number];

/** Per object, the photo's pixels it accounts for; those of nearer objects may hide it. */
function objectRegions(spec: SceneSpec, labels: Int32Array, width: number, height: number): RegionMask[] {
  const cam = cameraOf(spec, width, height);
  const depths = spec.objects.map((o) => depthOf(cam, o.location as Vec3));
  return spec.objects.map((_, i) => {
    const cells = new Uint8Array(width * height);
    let area = 0;
    for (const [p, label] of labels.entries()) {
      if (label === i) {
        cells[p] = REGION;
        area++;
      } else if (label >= 0 && depths[label]! < depths[i]!) cells[p] = HIDDEN;
    }
    return { width, height, cells, area };
  });
}

export const shapeSwap: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const { width, height } = inc.level.target;
  const backdrop = await backdropOf(ctx, spec, inc.level);
  if (!backdrop) return inc;
  const regions = objectRegions(spec, objectLabels(spec, inc.level.target, backdrop), width, height);
  const cam = cameraOf(spec, width, height);
  const variants = spec.objects.flatMap((obj, i) =>
    FITTED_SHAPES.filter((shape) => shape !== obj.shape && shape !== "cone" && regions[i]!.area > 0).map(
      (shape) => {
        const replacement = fitSilhouette(
          cam,
          // A superquadric, lathe or extrusion drops the form only it reads.
          { ...withShape(obj, shape), rotationDeg: [0, 0, 30] },
          regions[i]!,
        ).object;
        const apply = (s: SceneSpec) => ({
          ...s,
          objects: s.objects.map((o) => (o.name === obj.name ? replacement : o)),
        });
        return { spec: apply(spec), apply, key: obj.name };
      },
    ),
  );
  return acceptIndependent(ctx, inc, variants, spec);
};
