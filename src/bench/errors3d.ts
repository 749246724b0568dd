/**
 * 3D errors of a reconstruction against a ground-truth scene, measured where a single
 * photo defines them: in each scene's own camera frame, with the unknown scale removed.
 *
 * Both scenes are reduced to "things" (truth: the composites of truth.json; reconstruction:
 * primitives grouped by the name prefix before the first `_`, so `mug1_body` and
 * `mug1_handle` are the thing `mug1`). Each thing's parts are moved into its scene's camera
 * frame and boxed along the camera's axes; then every length is divided by the scene's
 * scale — the median depth of its things in front of the camera. A reconstruction built
 * with another world origin, rotation or unit (the camera moved along with it) therefore
 * scores exactly like the truth itself; depth relative to the other objects still counts.
 * The median is over things, so one missing or extra object moves it only a little.
 *
 * Matching is the Hungarian method on the distance between projected centres, which is
 * what the image constrains; a pair only counts when the predicted centre projects within
 * the true thing's projected radius.
 */
import { z } from "zod";
import { colorDifference } from "./ciede2000.ts";
import { hungarianMatch } from "./match.ts";
import {
  extentOf,
  type MeasuredScene,
  type NormalisedScene,
  normalisedScene,
  type Thing,
} from "./measured-scene.ts";

export const ErrorPair = z.object({
  truth: z.string(),
  predicted: z.string(),
  /** Centre distance in normalised camera space. */
  position: z.number(),
  /** Projected centre distance in image widths. */
  image: z.number(),
  size: z.number(),
  color: z.number(),
  material: z.boolean(),
  /** Whether the primitive classes agree (null when either is not a closed mesh). */
  shape: z.boolean().nullable().default(null),
  /** IoU of the two things' visible silhouettes (silhouette.ts); null without masks. */
  silhouette: z.number().nullable().default(null),
});
export type ErrorPair = z.infer<typeof ErrorPair>;

export const Errors3d = z.object({
  truthCount: z.number().int(),
  predictedCount: z.number().int(),
  countCorrect: z.boolean(),
  matched: z.number().int(),
  /** Matched / truth objects. */
  recall: z.number(),
  /** Matched / predicted objects (1 when nothing was predicted and nothing exists). */
  precision: z.number(),
  /** Mean distance between matched centres in normalised camera space. */
  positionError: z.number().nullable(),
  /** Mean distance between matched projected centres, in image widths. */
  imageError: z.number().nullable(),
  /** Mean ‖size_pred − size_truth‖ / ‖size_truth‖ of the normalised camera-aligned boxes. */
  sizeError: z.number().nullable(),
  /** Mean CIEDE2000 between matched base colours. */
  colorError: z.number().nullable(),
  /** Share of matched objects whose class (metal when metallic > 0.5, else rubber) agrees. */
  materialAccuracy: z.number().nullable(),
  /**
   * Share of matched objects whose primitive class (bench/shape-class.ts; a composite: its
   * largest part's) agrees: a cube matched to a cylinder is found but wrong. Pairs whose class
   * cannot be told are left out; null when none can.
   */
  shapeAccuracy: z.number().nullable().default(null),
  /**
   * Mean silhouette IoU over truth things, a missed thing counting 0, and the IoU of all
   * things' union on each side (silhouette.ts); null when no masks were rendered.
   */
  silhouetteIoU: z.number().nullable().default(null),
  foregroundIoU: z.number().nullable().default(null),
  /** Each scene's scale (median thing depth) in its own units. */
  scale: z.object({ truth: z.number(), predicted: z.number() }),
  pairs: z.array(ErrorPair),
  missed: z.array(z.string()),
  extra: z.array(z.string()),
});
export type Errors3d = z.infer<typeof Errors3d>;

/** Names of the room a reconstruction stands in rather than things in it. */
const STRUCTURE = /^(ground|floor|wall|walls|ceiling|backdrop|background|plane|room)$/;
/** A predicted thing this many truth-scene extents wide is a ground or backdrop, whatever its name. */
const STRUCTURE_SPAN = 3;
/** Smallest matching radius (image widths), so tiny or distant things can still be matched. */
const MIN_MATCH_RADIUS = 0.02;

/**
 * A reconstruction's things without the room it stands in: structure is dropped by name
 * first, and by size (wider than STRUCTURE_SPAN truth extents) once a scale is known; the
 * scale is then taken again over what is left, so a huge backdrop cannot set it.
 */
function predictedScene(scene: MeasuredScene, truthExtent: number): NormalisedScene {
  const named = {
    ...scene,
    things: scene.things.filter((g) => !STRUCTURE.test(g.name.replace(/\d+$/, ""))),
  };
  const first = normalisedScene(named);
  const kept = new Set(
    first.things.filter((t) => Math.max(...t.size) <= STRUCTURE_SPAN * truthExtent).map((t) => t.name),
  );
  return normalisedScene({ ...named, things: named.things.filter((g) => kept.has(g.name)) });
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(...a.map((v, i) => v - b[i]!));
}

function share(agreements: boolean[]): number | null {
  return agreements.length === 0 ? null : agreements.filter(Boolean).length / agreements.length;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Image distance of a pair, or Infinity when the predicted centre is outside the true thing's radius. */
function matchCost(t: Thing, p: Thing): number {
  if (!t.image || !p.image) return Infinity;
  const d = distance(t.image.center, p.image.center);
  return d <= Math.max(MIN_MATCH_RADIUS, t.image.radius) ? d : Infinity;
}

/** Which true objects were found: "3/4 found (cube1→obj2, …); missed: …; extra: …". */
export function describeMatches(e: Errors3d): string {
  const found = e.pairs.map((p) => `${p.truth}→${p.predicted}`).join(", ");
  return [
    `${e.matched}/${e.truthCount} found${found ? ` (${found})` : ""}`,
    e.missed.length ? `missed: ${e.missed.join(", ")}` : "",
    e.extra.length ? `extra: ${e.extra.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Scores predicted things against truth things, both in their normalised camera spaces. */
export function errors3d(truth: NormalisedScene, predicted: NormalisedScene): Errors3d {
  const t = truth.things;
  const p = predicted.things;
  const cost = t.map((a) => p.map((b) => matchCost(a, b)));
  const matching = hungarianMatch(cost, p.length, Number.MAX_VALUE);
  const pairs = matching.pairs.map(([i, j]): ErrorPair => {
    const a = t[i]!;
    const b = p[j]!;
    return {
      truth: a.name,
      predicted: b.name,
      position: distance(a.center, b.center),
      image: cost[i]![j]!,
      size: distance(b.size, a.size) / Math.max(1e-9, Math.hypot(...a.size)),
      color: colorDifference(a.color, b.color),
      material: a.materialClass === b.materialClass,
      shape: a.shape === null || b.shape === null ? null : a.shape === b.shape,
      silhouette: null,
    };
  });
  return {
    truthCount: t.length,
    predictedCount: p.length,
    countCorrect: t.length === p.length,
    matched: pairs.length,
    recall: t.length === 0 ? 1 : pairs.length / t.length,
    precision: p.length === 0 ? (t.length === 0 ? 1 : 0) : pairs.length / p.length,
    positionError: mean(pairs.map((x) => x.position)),
    imageError: mean(pairs.map((x) => x.image)),
    sizeError: mean(pairs.map((x) => x.size)),
    colorError: mean(pairs.map((x) => x.color)),
    materialAccuracy: pairs.length === 0 ? null : pairs.filter((x) => x.material).length / pairs.length,
    shapeAccuracy: share(pairs.map((x) => x.shape).filter((x) => x !== null)),
    silhouetteIoU: null,
    foregroundIoU: null,
    scale: { truth: truth.scale, predicted: predicted.scale },
    pairs,
    missed: matching.unmatchedTruth.map((i) => t[i]!.name),
    extra: matching.unmatchedPrediction.map((j) => p[j]!.name),
  };
}

/** The whole comparison: truth as given, the reconstruction without its room. */
export function compareScenes(truth: MeasuredScene, reconstruction: MeasuredScene): Errors3d {
  const t = normalisedScene(truth);
  return errors3d(t, predictedScene(reconstruction, extentOf(t.things)));
}
