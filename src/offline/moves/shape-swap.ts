/**
 * Geometry move: each object as each other primitive, kept where the render gets closer.
 * A cube is tried at three turns about Z (a cube repeats every 90°): against a cube at the
 * wrong turn, a cylinder, which looks the same from every side, would win too often.
 */
import type { SceneObject, Shape } from "../../program/scene-spec.ts";
import { alternativePrimitives } from "../analysis/primitive.ts";
import { acceptIndependent, type Move, sceneOf } from "./edits.ts";

const CUBE_YAWS_DEG = [0, 30, 60];

/** The object as `shape`, at each turn worth trying for it. */
export function reshaped(o: SceneObject, shape: Shape): SceneObject[] {
  if (shape !== "cube") return [{ ...o, shape }];
  return CUBE_YAWS_DEG.filter((yaw) => o.shape !== "cube" || yaw !== o.rotationDeg[2]).map((yaw) => ({
    ...o,
    shape,
    rotationDeg: [o.rotationDeg[0], o.rotationDeg[1], yaw] as [number, number, number],
  }));
}

export const shapeSwap: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const variants = spec.objects.flatMap((obj) =>
    [
      ...alternativePrimitives(obj.shape).filter((shape) => shape !== "cone"),
      ...(obj.shape === "cube" ? ["cube" as const] : []),
    ]
      .flatMap((shape) => reshaped(obj, shape))
      .map((replacement) => {
        const apply = (s: typeof spec) => ({
          ...s,
          objects: s.objects.map((o) => (o.name === obj.name ? replacement : o)),
        });
        return { spec: apply(spec), apply, key: obj.name };
      }),
  );
  return acceptIndependent(ctx, inc, variants, spec);
};
