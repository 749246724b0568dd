/**
 * A region's outline as a polygon in pixel coordinates: the outer ring of its largest piece
 * (marching squares, d3-contour), simplified (Douglas–Peucker, simplify-js) until it fits
 * the extrusion's point limit. Holes are dropped: an extrusion has none.
 */
import { contours } from "d3-contour";
import simplify from "simplify-js";
import { doubleArea } from "../../program/scene-spec.ts";

export type PixelPoint = [number, number];

/** The extrusion's limit (scene-spec.ts Outline). */
export const MAX_OUTLINE_POINTS = 64;

/** The outer ring of the largest piece of the pixels, in pixel units (pixel x covers [x, x + 1]). */
function outerRing(pixels: readonly number[], width: number): PixelPoint[] | null {
  if (pixels.length === 0) return null;
  const xs = pixels.map((i) => i % width);
  const ys = pixels.map((i) => Math.floor(i / width));
  // A one-pixel empty border closes every ring inside the grid.
  const x0 = Math.min(...xs) - 1;
  const y0 = Math.min(...ys) - 1;
  const w = Math.max(...xs) - x0 + 2;
  const h = Math.max(...ys) - y0 + 2;
  const grid = new Array<number>(w * h).fill(0);
  pixels.forEach((_, k) => {
    grid[(ys[k]! - y0) * w + (xs[k]! - x0)] = 1;
  });
  const [shape] = contours().size([w, h]).smooth(false).thresholds([0.5])(grid);
  const rings = (shape?.coordinates ?? []).map((polygon) => polygon[0]! as PixelPoint[]);
  const largest = rings.reduce<PixelPoint[] | null>(
    (best, r) => (!best || Math.abs(doubleArea(r)) > Math.abs(doubleArea(best)) ? r : best),
    null,
  );
  return largest ? largest.map(([x, y]) => [x + x0, y + y0]) : null;
}

/**
 * The region's outline with at most `maxPoints` points (no repeated closing point), or null
 * when the pixels enclose no area. The tolerance grows from a third of a pixel until it fits.
 */
export function regionOutline(
  pixels: readonly number[],
  width: number,
  maxPoints = MAX_OUTLINE_POINTS,
): PixelPoint[] | null {
  const ring = outerRing(pixels, width);
  if (!ring) return null;
  const open = ring.slice(0, -1).map(([x, y]) => ({ x, y }));
  for (let tolerance = 0.3; ; tolerance *= 1.5) {
    const simple = simplify(open, tolerance, true).map((p): PixelPoint => [p.x, p.y]);
    if (simple.length <= maxPoints) return simple.length >= 3 && doubleArea(simple) !== 0 ? simple : null;
  }
}
