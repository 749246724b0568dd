/**
 * The camera, searched jointly with the silhouettes: for every pitch and lens of a grid over
 * the kind's range (level to straight down for a ground whose horizon is out of frame), the
 * objects are re-fitted to their regions through that camera and the whole scene rendered;
 * then the best pitch is refined by halving steps. Scale stays unobservable: the camera stays
 * 11 m from the point it looks at.
 */
import type { SceneObject, SceneSpec } from "../program/scene-spec.ts";
import { initialCamera, type PinholeCamera } from "./analysis/camera.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { bestOf, type ScoredSpec, scoreSpecs } from "./spec-scoring.ts";

export interface CameraPlan {
  /** Lens (mm) and pitch (degrees below level) of each camera of the grid. */
  grid: { lens: number; pitch: number }[];
  /** The refinement stays inside this range. */
  minPitch: number;
  maxPitch: number;
}

/** Straight down is 90°; a hair less keeps the camera's up direction defined. */
export const STRAIGHT_DOWN_DEG = 89;
/** A ground camera at least this steep makes a top-down scene. */
export const TOPDOWN_PITCH_DEG = 60;
const REFINE_STEPS_DEG = [6, 3, 1.5];

export interface CameraFound {
  best: ScoredSpec;
  pitchDeg: number;
}

function withCamera(
  spec: SceneSpec,
  cam: PinholeCamera,
  place: (cam: PinholeCamera) => SceneObject[],
): SceneSpec {
  return {
    ...spec,
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm: cam.lensMm, sensorMm: cam.sensorMm },
    objects: place(cam),
  };
}

/** Renders the grid, then refines the winner's pitch (its lens kept) while a step improves it. */
export async function searchCamera(
  evaluator: RenderEvaluator,
  level: RenderLevel,
  base: SceneSpec,
  plan: CameraPlan,
  place: (cam: PinholeCamera) => SceneObject[],
  /** The size of the image the regions were found in: `place` gets cameras in its pixels. */
  regionsSize: { width: number; height: number },
): Promise<CameraFound> {
  const { width, height } = regionsSize;
  const { grid } = plan;
  const specs = grid.map((g) => withCamera(base, initialCamera(g.pitch, width, height, g.lens), place));
  const scored = await scoreSpecs(evaluator, specs, level);
  let best = bestOf(scored);
  let at = grid[scored.indexOf(best)]!;
  for (const step of REFINE_STEPS_DEG) {
    const pitches = [at.pitch - step, at.pitch + step]
      .map((p) => Math.min(plan.maxPitch, Math.max(plan.minPitch, p)))
      .filter((p) => p !== at.pitch);
    if (pitches.length === 0) continue;
    const tried = await scoreSpecs(
      evaluator,
      pitches.map((p) => withCamera(base, initialCamera(p, width, height, at.lens), place)),
      level,
    );
    const winner = bestOf(tried);
    if (winner.loss < best.loss) {
      best = winner;
      at = { lens: at.lens, pitch: pitches[tried.indexOf(winner)]! };
    }
  }
  return { best, pitchDeg: at.pitch };
}
