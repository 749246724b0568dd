/**
 * Splitting the light on the ground between sun and sky so that cast shadows darken it as
 * much as in the photo. On a diffuse ground, the sun gives radiance ∝ strength·sin(elevation)/π
 * (Cycles' sun strength is irradiance) and a uniform sky its own radiance (colour × strength),
 * so a shadow, lit by the sky alone, keeps sky / (sun + sky) of the light. The total is kept,
 * so the ground's fitted colour still holds; the sky's hue is kept too.
 */
import type { SceneSpec } from "../../program/scene-spec.ts";
import { luminance } from "./colour.ts";

/** Ratios outside this range are measurement failures (penumbrae, a dark ground), not light. */
const MIN_RATIO = 0.1;
const MAX_RATIO = 0.8;

export function withShadowRatio(spec: SceneSpec, ratio: number): SceneSpec {
  const r = Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio));
  const sinEl = Math.sin((spec.sun.elevationDeg * Math.PI) / 180);
  const skyColour = Math.max(luminance(spec.world.color), 1e-4);
  const sun = (spec.sun.strength * sinEl) / Math.PI;
  const sky = skyColour * spec.world.strength;
  const total = sun + sky;
  return {
    ...spec,
    sun: { ...spec.sun, strength: ((1 - r) * total * Math.PI) / Math.max(sinEl, 0.05) },
    world: { ...spec.world, strength: (r * total) / skyColour },
  };
}
