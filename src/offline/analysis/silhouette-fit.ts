/**
 * Fitting primitives' silhouettes to a found region: seeded CMA-ES over a ground offset, a log
 * scale and a turn or height, maximising the overlap (silhouette.ts) with the region.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import { CmaEs } from "../cmaes.ts";
import { cameraBasis, type PinholeCamera } from "./camera.ts";
import { type CoverageScore, coverage, intersectionOverUnion, type RegionMask } from "./silhouette.ts";

type Vec3 = [number, number, number];

/** Search space of one shape's fit: a ground offset (in sizes), a log scale, and a turn or height where they matter. */
function parameterise(start: SceneObject, cam: PinholeCamera) {
  const { forward } = cameraBasis(cam);
  const flat = Math.hypot(forward[0], forward[1]) || 1;
  const ahead: Vec3 = [forward[0] / flat, forward[1] / flat, 0];
  const right: Vec3 = [ahead[1], -ahead[0], 0];
  const side = Math.max(start.size[0], start.size[1]);
  const turns = start.shape === "cube";
  const tall = start.shape === "cylinder" || start.shape === "cone";
  const lower = [-1.2, -1.2, Math.log(0.5), ...(turns ? [0] : []), ...(tall ? [Math.log(0.5)] : [])];
  const upper = [1.2, 1.2, Math.log(2), ...(turns ? [90] : []), ...(tall ? [Math.log(2)] : [])];
  const x0 = [0, 0, 0, ...(turns ? [((start.rotationDeg[2] % 90) + 90) % 90] : []), ...(tall ? [0] : [])];
  const build = (x: readonly number[]): SceneObject => {
    const d = side * Math.exp(x[2]!);
    const h = tall ? d * Math.exp(x[3]!) : d;
    const along = x[1]! * side;
    const across = x[0]! * side;
    return {
      ...start,
      size: [d, d, h],
      location: [
        start.location[0] + right[0] * across + ahead[0] * along,
        start.location[1] + right[1] * across + ahead[1] * along,
        h / 2,
      ],
      rotationDeg: [0, 0, turns ? x[3]! : start.rotationDeg[2]],
    };
  };
  return { lower, upper, x0, build };
}

export interface SilhouetteFit {
  object: SceneObject;
  iou: number;
}

const EVALUATIONS_PER_DIMENSION = 60;

/** The objects (shapes kept) placed, sized and turned together so their joint silhouette best covers the region; seeded CMA-ES. */
export function fitSilhouettes(
  cam: PinholeCamera,
  starts: readonly SceneObject[],
  region: RegionMask,
  score: CoverageScore = intersectionOverUnion,
  seed = 1,
): { objects: SceneObject[]; score: number } {
  const spaces = starts.map((s) => parameterise(s, cam));
  const offsets = spaces.map((_, k) => spaces.slice(0, k).reduce((n, sp) => n + sp.x0.length, 0));
  const build = (x: readonly number[]) =>
    spaces.map((sp, k) => sp.build(x.slice(offsets[k], offsets[k]! + sp.x0.length)));
  const scoreOf = (objects: SceneObject[]) => {
    const c = coverage(cam, objects, region);
    return c ? score(c) : Number.NEGATIVE_INFINITY;
  };
  const x0 = spaces.flatMap((sp) => sp.x0);
  const cma = new CmaEs({
    x0,
    lower: spaces.flatMap((sp) => sp.lower),
    upper: spaces.flatMap((sp) => sp.upper),
    sigma0: 0.15,
    seed,
    popSize: 10,
  });
  let best = { objects: [...starts], score: scoreOf([...starts]) };
  for (let evals = 0; evals < EVALUATIONS_PER_DIMENSION * x0.length; evals += cma.lambda) {
    const xs = cma.ask();
    const fits = xs.map((x) => {
      const objects = build(x);
      return { objects, score: scoreOf(objects) };
    });
    cma.tell(
      xs,
      fits.map((f) => -f.score),
    );
    for (const f of fits) if (f.score > best.score) best = f;
  }
  return best;
}

/** One object fitted to the region (fitSilhouettes of one). */
export function fitSilhouette(cam: PinholeCamera, start: SceneObject, region: RegionMask): SilhouetteFit {
  const { objects, score } = fitSilhouettes(cam, [start], region);
  return { object: objects[0]!, iou: score };
}

/** How much better a cone's outline must fit: a fragment of anything (a lit cap, half a metal ball) is roughly triangular. */
const CONE_MARGIN = 0.05;

/** The best-fitting of `starts` (one object per shape, placed from the region's box) after each is fitted to the region. */
export function bestSilhouetteFit(
  cam: PinholeCamera,
  starts: readonly SceneObject[],
  region: RegionMask,
): SilhouetteFit | null {
  const fits = starts.map((s) => fitSilhouette(cam, s, region));
  const score = (f: SilhouetteFit) => f.iou - (f.object.shape === "cone" ? CONE_MARGIN : 0);
  return fits.reduce<SilhouetteFit | null>((best, f) => (!best || score(f) > score(best) ? f : best), null);
}
