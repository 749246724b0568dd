/**
 * Shorthands for the compound-object templates (vehicles, figures, household things): a
 * part in one call, the surfaces they share, and sRGB palettes, so each template reads as
 * a list of its parts.
 */
import type { Shape } from "../../program/scene-spec.ts";
import { linearFromSrgb255, type PartTemplate, type Vec3 } from "./bench-scene.ts";

export interface Surface {
  roughness: number;
  metallic: number;
}

export const PAINT: Surface = { roughness: 0.35, metallic: 0 };
export const PLASTIC: Surface = { roughness: 0.5, metallic: 0 };
export const RUBBER: Surface = { roughness: 0.85, metallic: 0 };
export const METAL: Surface = { roughness: 0.3, metallic: 1 };
export const WOOD: Surface = { roughness: 0.6, metallic: 0 };

export function part(
  suffix: string,
  shape: Shape,
  size: Vec3,
  offset: Vec3,
  color: Vec3,
  surface: Surface,
  rotationDeg?: Vec3,
): PartTemplate {
  return { suffix, shape, size, offset, color, ...surface, ...(rotationDeg ? { rotationDeg } : {}) };
}

export function palette(...srgb: Vec3[]): Vec3[] {
  return srgb.map(linearFromSrgb255);
}

/** Mid-tone colours: dark enough to stand out from a white background, light enough to shade. */
export const BRIGHT = palette(
  [200, 60, 40],
  [230, 170, 30],
  [40, 100, 180],
  [60, 140, 80],
  [150, 70, 160],
  [210, 110, 40],
);
export const WOODS = palette([150, 105, 70], [95, 65, 40], [185, 150, 110]);
export const DARK = linearFromSrgb255([35, 35, 38]);
export const STEEL = linearFromSrgb255([170, 170, 175]);
export const GLASS = linearFromSrgb255([50, 70, 90]);
