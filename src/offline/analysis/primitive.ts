/**
 * Chooses a primitive for a region from its silhouette: how much of its bounding box it
 * fills (a cone ~½, a disc ~π/4, a cylinder seen from above its rim ~0.9) and how tall it
 * is for its width. A first guess only: the geometry stage tries the other shapes and
 * keeps whichever renders closer.
 */
import type { Shape } from "../../program/scene-spec.ts";
import type { Segment } from "./segment.ts";

export function fillRatio(s: Segment): number {
  return s.pixels.length / ((s.maxX - s.minX + 1) * (s.maxY - s.minY + 1));
}

export function choosePrimitive(s: Segment): Shape {
  const fill = fillRatio(s);
  const aspect = (s.maxY - s.minY + 1) / (s.maxX - s.minX + 1);
  if (fill < 0.6) return "cone";
  if (fill > 0.86 && aspect > 0.9) return "cylinder";
  if (aspect > 0.8 && aspect < 1.15 && fill > 0.72 && fill < 0.84) return "sphere";
  return "cube";
}

/** The other shapes worth trying for a region, best guess first. */
export function alternativePrimitives(shape: Shape): Shape[] {
  return (["cube", "sphere", "cylinder", "cone"] as Shape[]).filter((s) => s !== shape);
}
