/**
 * The camera, searched jointly with the silhouettes: for every pitch and lens of a grid over
 * the kind's range (level to straight down for a ground whose horizon is out of frame), the
 * objects are re-fitted to their regions through that camera and the whole scene rendered;
 * then the best pitch is refined by halving steps. Scale stays unobservable: the camera stays
 * 11 m from the point it looks at.
 */
import type { SceneObject, SceneSpec } from "../program/scene-spec.ts";
import { boundedGroundSize, initialCamera, type PinholeCamera } from "./analysis/camera.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { bestOf, type ScoredSpec, scoreSpecs } from "./spec-scoring.ts";

/**
 * One camera of the grid: lens (mm) and pitch (degrees below level). With `edgeRow`, the
 * ground is a bounded surface (a table top) whose far edge shows at that row rather than
 * running on to the horizon; beyond it and in front of it the world shows.
 */
export interface GridCamera {
  lens: number;
  pitch: number;
  edgeRow?: number;
}

export interface CameraPlan {
  grid: GridCamera[];
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

/** The scene seen through the grid camera, objects re-placed; null when its bounded surface does not fit the frame. */
function withCamera(
  spec: SceneSpec,
  g: GridCamera,
  size: { width: number; height: number },
  place: (cam: PinholeCamera) => SceneObject[],
): SceneSpec | null {
  const cam = initialCamera(g.pitch, size.width, size.height, g.lens);
  const surface = g.edgeRow === undefined ? null : boundedGroundSize(cam, g.edgeRow);
  if (g.edgeRow !== undefined && (surface === null || !spec.ground)) return null;
  return {
    ...spec,
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm: cam.lensMm, sensorMm: cam.sensorMm },
    objects: place(cam),
    ...(surface !== null && spec.ground ? { ground: { ...spec.ground, size: surface } } : {}),
  };
}

/** Scores the grid cameras whose scene can be built; the candidates keep their camera. */
async function scoreCameras(
  evaluator: RenderEvaluator,
  level: RenderLevel,
  cameras: GridCamera[],
  build: (g: GridCamera) => SceneSpec | null,
): Promise<{ camera: GridCamera; scored: ScoredSpec }[]> {
  const built = cameras.map((camera) => ({ camera, spec: build(camera) })).filter((b) => b.spec !== null);
  const scored = await scoreSpecs(
    evaluator,
    built.map((b) => b.spec!),
    level,
  );
  return built.map((b, i) => ({ camera: b.camera, scored: scored[i]! }));
}

function bestCamera(candidates: { camera: GridCamera; scored: ScoredSpec }[]): {
  camera: GridCamera;
  scored: ScoredSpec;
} {
  const best = bestOf(candidates.map((c) => c.scored));
  return candidates.find((c) => c.scored === best)!;
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
  const build = (g: GridCamera) => withCamera(base, g, regionsSize, place);
  const first = await scoreCameras(evaluator, level, plan.grid, build);
  let { camera: at, scored: best } = bestCamera(first);
  for (const step of REFINE_STEPS_DEG) {
    const pitches = [at.pitch - step, at.pitch + step]
      .map((p) => Math.min(plan.maxPitch, Math.max(plan.minPitch, p)))
      .filter((p) => p !== at.pitch);
    if (pitches.length === 0) continue;
    const tried = await scoreCameras(
      evaluator,
      level,
      pitches.map((pitch) => ({ ...at, pitch })),
      build,
    );
    if (tried.length === 0) continue;
    const winner = bestCamera(tried);
    if (winner.scored.loss < best.loss) ({ camera: at, scored: best } = winner);
  }
  return { best, pitchDeg: at.pitch };
}
