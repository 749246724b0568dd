/**
 * A primitive's class from its solid, whoever built it: a torus has a hole (Euler
 * characteristic 0); otherwise the share of its bounding box the solid fills — a cube 1, a
 * cylinder π/4, a sphere π/6, a cone π/12 — picks the nearest class (on a log scale).
 *
 * Classes are only the basic shapes, so a reconstruction is compared with its truth by what
 * it looks like, not by which function built it. Shapes between classes get the nearest one:
 * a rounded cube is still a cube, a squashed cylinder still a cylinder; a superquadric is a
 * cube near exponents (0.1, 0.1), a sphere near (1, 1), a cylinder near (0.1, 1); a capsule
 * taller than wide is a cylinder (a squat one is an ellipsoid, so a sphere); a lathe and an
 * extrusion are whatever their fill is nearest — a straight lathe a cylinder, a vase
 * narrowing to its neck a sphere, a lid with a knob a cone, a plate a cube, an L-bracket
 * (three quarters of its box) a cylinder.
 */
import type { BASIC_SHAPES } from "../program/scene-spec.ts";

export type ShapeClass = (typeof BASIC_SHAPES)[number];

const FILL: readonly [ShapeClass, number][] = [
  ["cube", 1],
  ["cylinder", Math.PI / 4],
  ["sphere", Math.PI / 6],
  ["cone", Math.PI / 12],
];

export function shapeClass(
  volumeRatio: number | null,
  eulerCharacteristic: number | null,
): ShapeClass | null {
  if (eulerCharacteristic === 0) return "torus";
  if (volumeRatio === null || !(volumeRatio > 0)) return null;
  const distance = (fill: number) => Math.abs(Math.log(volumeRatio / fill));
  return FILL.reduce((best, c) => (distance(c[1]) < distance(best[1]) ? c : best))[0];
}
