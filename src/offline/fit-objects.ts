/**
 * Per-object fit of place and size together, by render and compare, before the stages.
 * The stages search sizes (geometry) before places (composition), so an object placed a
 * little off gets resized to hide it; here each object tries a step left, right, nearer,
 * farther, larger and smaller (standing on the ground), every object at once in one batch.
 * Objects barely interact in the image, so each keeps its best step when that lowers the
 * loss, and the steps are combined when the combination is better still. The step halves
 * each pass.
 */
import type { SceneObject, SceneSpec } from "../program/scene-spec.ts";
import { cameraBasis } from "./analysis/camera.ts";
import { cameraOf } from "./analysis/scaffold.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { bestOf, type ScoredSpec, scoreSpecs } from "./spec-scoring.ts";

type Vec3 = [number, number, number];

/** First step as a share of the object's width (moves) and of its size (scaling). */
const FIRST_STEP = 0.3;
export const FIT_PASSES = 2;

function moved(o: SceneObject, by: Vec3): SceneObject {
  return { ...o, location: [o.location[0] + by[0], o.location[1] + by[1], o.location[2]] };
}

/** Scaled about its foot, so it still stands on the ground. */
function scaled(o: SceneObject, factor: number): SceneObject {
  const size = o.size.map((v) => v * factor) as Vec3;
  return { ...o, size, location: [o.location[0], o.location[1], o.location[2] * factor] };
}

/** The six steps of one object: along the camera's right axis, along its view on the ground, and in size. */
export function objectSteps(o: SceneObject, right: Vec3, ahead: Vec3, step: number): SceneObject[] {
  const d = step * Math.max(o.size[0], o.size[1]);
  return [
    moved(o, [right[0] * d, right[1] * d, 0]),
    moved(o, [-right[0] * d, -right[1] * d, 0]),
    moved(o, [ahead[0] * d, ahead[1] * d, 0]),
    moved(o, [-ahead[0] * d, -ahead[1] * d, 0]),
    scaled(o, 1 + step),
    scaled(o, 1 / (1 + step)),
  ];
}

function withObject(spec: SceneSpec, index: number, o: SceneObject): SceneSpec {
  return { ...spec, objects: spec.objects.map((p, i) => (i === index ? o : p)) };
}

export async function fitObjects(
  evaluator: RenderEvaluator,
  start: ScoredSpec,
  level: RenderLevel,
  fits: (renders: number) => boolean = () => true,
): Promise<ScoredSpec> {
  let best = start;
  const cam = cameraOf(start.spec, level.target.width, level.target.height);
  const { forward, right } = cameraBasis(cam);
  const flat = Math.hypot(forward[0], forward[1]) || 1;
  const ahead: Vec3 = [forward[0] / flat, forward[1] / flat, 0];
  const flatRight: Vec3 = [right[0], right[1], 0];
  for (let pass = 0, step = FIRST_STEP; pass < FIT_PASSES; pass++, step /= 2) {
    const base = best;
    const trials = base.spec.objects.flatMap((o, index) =>
      objectSteps(o, flatRight, ahead, step).map((object) => ({ index, object })),
    );
    // A pass is all or nothing: its trials, and the combination of their picks.
    if (!fits(trials.length + 1)) break;
    const scored = await scoreSpecs(
      evaluator,
      trials.map((t) => withObject(base.spec, t.index, t.object)),
      level,
    );
    const picks = new Map<number, { object: SceneObject; scored: ScoredSpec }>();
    for (const [k, s] of scored.entries()) {
      const { index, object } = trials[k]!;
      const current = picks.get(index);
      if (s.loss < base.loss && (!current || s.loss < current.scored.loss))
        picks.set(index, { object, scored: s });
    }
    if (picks.size === 0) continue;
    best = bestOf([...picks.values()].map((p) => p.scored));
    if (picks.size > 1) {
      const combined = [...picks.entries()].reduce(
        (spec, [index, p]) => withObject(spec, index, p.object),
        base.spec,
      );
      const [all] = await scoreSpecs(evaluator, [combined], level);
      if (all && all.loss < best.loss) best = all;
    }
  }
  return best;
}
