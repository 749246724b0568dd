/**
 * Composition move: every object stood on the ground (centre height = half its height),
 * since the geometry stage resizes objects without moving them. Kept when better.
 */
import { incumbentFrom, type Move, sceneOf, scoreWithinBudget } from "./edits.ts";

export const groundContact: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene) return inc;
  const { spec } = scene;
  const grounded = {
    ...spec,
    objects: spec.objects.map((o) => ({
      ...o,
      location: [o.location[0], o.location[1], o.size[2] / 2] as [number, number, number],
    })),
  };
  if (grounded.objects.every((o, i) => o.location[2] === spec.objects[i]!.location[2])) return inc;
  const [scored] = await scoreWithinBudget(ctx, [grounded], inc.level);
  return scored && scored.loss < inc.loss ? incumbentFrom(scored, inc.level) : inc;
};
