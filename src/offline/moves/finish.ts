/**
 * Material move: each object flipped between a rubber-like finish (rough dielectric) and a
 * metal (smooth, metallic), the two looks a photo of objects most clearly tells apart;
 * the numeric search fine-tunes roughness and metallic afterwards.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import { acceptIndependent, type Move, sceneOf } from "./edits.ts";

const RUBBER = { roughness: 0.7, metallic: 0 } as const;
const METAL = { roughness: 0.2, metallic: 1 } as const;

function flipped(o: SceneObject): SceneObject {
  return { ...o, ...(o.metallic >= 0.5 ? RUBBER : METAL) };
}

export const finishFlip: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const variants = spec.objects.map((obj) => {
    const apply = (s: typeof spec) => ({
      ...s,
      objects: s.objects.map((o) => (o.name === obj.name ? flipped(o) : o)),
    });
    return { spec: apply(spec), apply };
  });
  return acceptIndependent(ctx, inc, variants, spec);
};
