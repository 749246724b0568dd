/**
 * What kind of photo a scene program is built for. Each kind has its own scaffold in the
 * offline method (src/offline/analysis/scene-kind-cue.ts, src/offline/camera-search.ts):
 *
 * - `ground`: things standing on a visible ground plane, seen from a raised camera (CLEVR,
 *   a table top, a room);
 * - `topdown`: the same ground seen steeply or straight from above (a desk from above);
 * - `object`: one object or a few on a uniform background with no visible ground, the camera
 *   orbiting the object's centre (NeRF-Synthetic);
 * - `closeup`: one subject so close that it crosses the frame's edges.
 */
import { z } from "zod";

export const SCENE_KINDS = ["ground", "topdown", "object", "closeup"] as const;
export const SceneKind = z.enum(SCENE_KINDS);
export type SceneKind = z.infer<typeof SceneKind>;

/** `auto` lets the analysis choose; a kind forces its scaffold (`--scene-kind`). */
export const SceneKindChoice = z.enum(["auto", ...SCENE_KINDS]);
export type SceneKindChoice = z.infer<typeof SceneKindChoice>;

/** run.json `sceneKind`: the kind a run's scaffold was built for, and why. */
export const SceneKindRecord = z.object({
  kind: SceneKind,
  source: z.enum(["detected", "option"]),
  /** What the analysis saw (border uniformity, edges crossed, camera pitch), in words. */
  evidence: z.string(),
});
export type SceneKindRecord = z.infer<typeof SceneKindRecord>;
