/** Geometry move: each object as each other primitive, kept where the render gets closer. */
import { alternativePrimitives } from "../analysis/primitive.ts";
import { acceptIndependent, type Move, sceneOf } from "./edits.ts";

export const shapeSwap: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const variants = spec.objects.flatMap((obj) =>
    alternativePrimitives(obj.shape)
      .filter((shape) => shape !== "cone")
      .map((shape) => {
        const apply = (s: typeof spec) => ({
          ...s,
          objects: s.objects.map((o) => (o.name === obj.name ? { ...o, shape } : o)),
        });
        return { spec: apply(spec), apply };
      }),
  );
  return acceptIndependent(ctx, inc, variants, spec);
};
