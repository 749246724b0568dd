/**
 * A primitive's class from its solid, whoever built it: a torus has a hole (Euler
 * characteristic 0); otherwise the share of its bounding box the solid fills — a cube 1, a
 * cylinder π/4, a sphere π/6, a cone π/12 — picks the nearest class (on a log scale). Shapes
 * between classes (a superquadric, a bevelled box) get the nearest one, so a rounded cube is
 * still a cube and a squashed cylinder still a cylinder.
 */
import type { Shape } from "../program/scene-spec.ts";

const FILL: readonly [Shape, number][] = [
  ["cube", 1],
  ["cylinder", Math.PI / 4],
  ["sphere", Math.PI / 6],
  ["cone", Math.PI / 12],
];

export function shapeClass(volumeRatio: number | null, eulerCharacteristic: number | null): Shape | null {
  if (eulerCharacteristic === 0) return "torus";
  if (volumeRatio === null || !(volumeRatio > 0)) return null;
  const distance = (fill: number) => Math.abs(Math.log(volumeRatio / fill));
  return FILL.reduce((best, c) => (distance(c[1]) < distance(best[1]) ? c : best))[0];
}
