/**
 * Material move: each object flipped between a rubber-like finish (rough dielectric) and a
 * metal (smooth, metallic), the two looks a photo of objects most clearly tells apart;
 * the numeric search fine-tunes roughness and metallic afterwards.
 *
 * A flip alone rarely wins: a metal shows its surroundings tinted by its colour, so with the
 * colour fitted for rubber it comes out too dark or too bright. Each flipped object's colour
 * is therefore solved again in closed form from a render of the flip (a metal's render is
 * linear in its colour too) before the flip is judged.
 */
import type { SceneObject, SceneSpec } from "../../program/scene-spec.ts";
import { ratioColours } from "../analysis/colour-ratio.ts";
import { renderedImage } from "../spec-scoring.ts";
import {
  acceptIndependent,
  backdropOf,
  type Move,
  sceneOf,
  scoreWithinBudget,
  type Variant,
} from "./edits.ts";

const RUBBER = { roughness: 0.7, metallic: 0 } as const;
const METAL = { roughness: 0.2, metallic: 1 } as const;

function flipped(o: SceneObject): SceneObject {
  return { ...o, ...(o.metallic >= 0.5 ? RUBBER : METAL) };
}

function withObject(spec: SceneSpec, name: string, edit: (o: SceneObject) => SceneObject): SceneSpec {
  return { ...spec, objects: spec.objects.map((o) => (o.name === name ? edit(o) : o)) };
}

export const finishFlip: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const backdrop = await backdropOf(ctx, spec, inc.level);
  if (!backdrop) return inc;
  const flips = spec.objects.map((obj) => withObject(spec, obj.name, flipped));
  const rendered = await scoreWithinBudget(ctx, flips, inc.level);
  const variants: Variant[] = [];
  for (const [k, scored] of rendered.entries()) {
    if (!scored.image) continue;
    const name = spec.objects[k]!.name;
    const refit = ratioColours(flips[k]!, inc.level.target, await renderedImage(scored), backdrop);
    const color = refit.objects[k]!.color;
    const apply = (s: SceneSpec) => withObject(s, name, (o) => ({ ...flipped(o), color }));
    variants.push({ spec: apply(spec), apply, key: name });
  }
  return acceptIndependent(ctx, inc, variants, spec);
};
