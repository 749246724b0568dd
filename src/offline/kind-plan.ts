/**
 * Which scaffold a photo gets and which cameras are tried for it. The frame decides between a
 * ground (ground or topdown) and a backdrop (object or closeup), scene-kind-cue.ts; among
 * ground scenes the camera search decides, since a ground seen from above is still a ground.
 * `--scene-kind` forces a kind: its scaffold, and for ground kinds its half of the pitch range.
 */
import type { SceneKind, SceneKindChoice, SceneKindRecord } from "../program/scene-kind.ts";
import type { Background } from "./analysis/background.ts";
import { boundedGroundSize, initialCamera, pitchFromHorizon, surfacePitch } from "./analysis/camera.ts";
import type { KindCue } from "./analysis/scene-kind-cue.ts";
import { type CameraPlan, type GridCamera, STRAIGHT_DOWN_DEG, TOPDOWN_PITCH_DEG } from "./camera-search.ts";

const LENSES_MM = [35, 50, 70];
const HORIZON_PITCH_STEPS_DEG = [-8, 0, 8];
/** Steep views a ground scene without a horizon may be seen from, up to straight down. */
const STEEP_PITCHES_DEG = [50, 65, 80, STRAIGHT_DOWN_DEG];
const TOPDOWN_PITCHES_DEG = [TOPDOWN_PITCH_DEG, 70, 80, STRAIGHT_DOWN_DEG];
/**
 * Around the pitch that frames a bounded surface (a table top) between its edges: the far
 * edge fixes the surface's size for each pitch, the near edge's row the pitch.
 */
const SURFACE_PITCH_STEPS_DEG = [-8, -4, 0, 4, 8];
/** Object-centric cameras orbit from level to nearly overhead (NeRF-Synthetic's upper hemisphere). */
const ORBIT_PITCHES_DEG = [10, 25, 40, 55, 70, 85];

export type Family = "ground" | "floating";

function familyOf(kind: SceneKind): Family {
  return kind === "object" || kind === "closeup" ? "floating" : "ground";
}

/** The family to build: forced by the choice, else the frame's cue. */
export function chosenFamily(choice: SceneKindChoice, cue: KindCue): Family {
  return familyOf(choice === "auto" ? cue.kind : choice);
}

function clampPitch(p: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, p));
}

/** The camera grid of a ground scene: around the horizon's pitch when it shows, else from the usual raised view to straight down. */
export function groundPlan(
  choice: SceneKindChoice,
  bg: Background,
  width: number,
  height: number,
): CameraPlan {
  const minPitch = choice === "topdown" ? TOPDOWN_PITCH_DEG : 3;
  const maxPitch = choice === "ground" ? TOPDOWN_PITCH_DEG - 1 : STRAIGHT_DOWN_DEG;
  const grid = LENSES_MM.flatMap((lens) => {
    if (choice === "topdown") return TOPDOWN_PITCHES_DEG.map((pitch) => ({ lens, pitch }));
    const base = pitchFromHorizon(bg.horizonRow, width, height, lens);
    const near = HORIZON_PITCH_STEPS_DEG.map((step) => (bg.horizonRow > 0 ? base + step / 2 : base + step));
    const steep = bg.horizonRow > 0 || choice === "ground" ? [] : STEEP_PITCHES_DEG;
    if (bg.groundEnd !== undefined) return surfaceCameras(bg.horizonRow, bg.groundEnd, lens, width, height);
    return [...near, ...steep].map((pitch) => ({ lens, pitch: clampPitch(pitch, minPitch, maxPitch) }));
  });
  return { grid: unique(grid.filter((g) => g.pitch >= minPitch && g.pitch <= maxPitch)), minPitch, maxPitch };
}

/** Cameras around the one that frames a bounded surface between its far and near edge rows. */
function surfaceCameras(
  far: number,
  near: number,
  lens: number,
  width: number,
  height: number,
): GridCamera[] {
  const pitch = surfacePitch(far, near, width, height, lens);
  if (pitch === null) return [];
  return SURFACE_PITCH_STEPS_DEG.map((step) => ({ lens, pitch: pitch + step, edgeRow: far })).filter(
    (g) => boundedGroundSize(initialCamera(g.pitch, width, height, lens), far) !== null,
  );
}

export function floatingPlan(): CameraPlan {
  return {
    grid: LENSES_MM.flatMap((lens) => ORBIT_PITCHES_DEG.map((pitch) => ({ lens, pitch }))),
    minPitch: 0,
    maxPitch: STRAIGHT_DOWN_DEG,
  };
}

function unique(grid: GridCamera[]): GridCamera[] {
  const seen = new Set<string>();
  return grid.filter((g) => {
    const key = `${g.lens}/${g.pitch}/${g.edgeRow ?? "open"}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The kind the scaffold was built as, and what decided it: `framed` is the frame's cue, or "ground" when a ground scaffold won. */
export function kindRecord(
  choice: SceneKindChoice,
  framed: KindCue["kind"],
  evidence: string,
  pitchDeg: number,
): SceneKindRecord {
  const camera = `the camera found looks ${Math.round(pitchDeg)}° down`;
  if (choice !== "auto") {
    return { kind: choice, source: "option", evidence: `--scene-kind ${choice}; ${evidence}; ${camera}` };
  }
  const kind: SceneKind = framed !== "ground" ? framed : pitchDeg >= TOPDOWN_PITCH_DEG ? "topdown" : "ground";
  return { kind, source: "detected", evidence: `${evidence}; ${camera}` };
}
