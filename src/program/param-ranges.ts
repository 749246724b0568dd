/**
 * The values the standard PARAMS quantities may take (emit.ts's key convention), for edits
 * that come from people rather than the search: `seig set`, `seig relight`. The bounds are
 * the scene spec's where it has them, so a program a person edits stays one the spec accepts.
 * Keys outside the convention (a VLM's own names) are checked only for shape.
 */
import { z } from "zod";
import { parseInput } from "../input-message.ts";
import type { ParamValue } from "./parse.ts";
import { Exponents, Outline, Profile, SceneObject, Sun, World } from "./scene-spec.ts";

/** The longest render side seig asks Blender for; Blender's own limit is far above it. */
export const MAX_RESOLUTION_SIDE = 8192;

const unit = z.number().min(0).max(1);
const extent = z.number().positive();
const colour = z.tuple([unit, unit, unit]);
const side = z.number().int().min(1).max(MAX_RESOLUTION_SIDE);

/** Whole keys of the scene itself. */
const BY_KEY: Record<string, z.ZodType> = {
  "sun.elevation_deg": Sun.shape.elevationDeg,
  "sun.strength": Sun.shape.strength,
  "sun.angle_deg": z.number().min(0).max(180),
  "world.strength": World.shape.strength,
  "camera.lens_mm": z.number().positive(),
  "camera.sensor_mm": z.number().positive(),
  "ground.size": extent,
  "render.resolution": z.tuple([side, side]),
};

/** The quantity after the dot, for any object (and the ground, sun and world colours). */
const BY_QUANTITY: Record<string, z.ZodType> = {
  color: colour,
  roughness: SceneObject.shape.roughness.unwrap(),
  metallic: SceneObject.shape.metallic.unwrap(),
  size: z.tuple([extent, extent, extent]),
  exponents: Exponents,
  profile: Profile,
  outline: Outline,
};

/** The schema for a key's values, or null when the key is not one seig's convention names. */
export function paramSchema(key: string): z.ZodType | null {
  if (Object.hasOwn(BY_KEY, key)) return BY_KEY[key]!;
  const quantity = key.slice(key.indexOf(".") + 1);
  return key.includes(".") && Object.hasOwn(BY_QUANTITY, quantity) ? BY_QUANTITY[quantity]! : null;
}

/** Throws an InputError naming the key and its range when `value` is outside it. */
export function checkParamRange(key: string, value: ParamValue): void {
  const schema = paramSchema(key);
  if (schema) parseInput(schema, value, key);
}
