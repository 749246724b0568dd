/**
 * Relighting a scene program: a new lighting section (a sun and a sky colour, both in
 * PARAMS) replaces the old one; geometry, materials and composition are untouched. Works
 * on any program, not only emitted ones: values the program already has are kept unless
 * the caller overrides them.
 */
import { z } from "zod";
import { assembleProgram } from "../program/assemble.ts";
import { keysOwnedBy, paramOwners } from "../program/ownership.ts";
import { checkParamRange } from "../program/param-ranges.ts";
import { type Params, parseProgram } from "../program/parse.ts";
import { moduleBody } from "../program/scene-library.ts";
import { replaceSection } from "../program/sections.ts";

export const SkyPreset = z.enum(["noon", "sunset", "overcast", "night"]);
export type SkyPreset = z.infer<typeof SkyPreset>;

export interface Lighting {
  "sun.elevation_deg": number;
  "sun.azimuth_deg": number;
  "sun.strength": number;
  "sun.color": [number, number, number];
  "sun.angle_deg": number;
  "world.color": [number, number, number];
  "world.strength": number;
  "render.exposure": number;
}

const PRESETS: Record<SkyPreset, Lighting> = {
  noon: {
    "sun.elevation_deg": 70,
    "sun.azimuth_deg": 30,
    "sun.strength": 4,
    "sun.color": [1, 0.98, 0.95],
    "sun.angle_deg": 2,
    "world.color": [0.45, 0.6, 0.85],
    "world.strength": 1,
    "render.exposure": 0,
  },
  sunset: {
    "sun.elevation_deg": 6,
    "sun.azimuth_deg": 250,
    "sun.strength": 3,
    "sun.color": [1, 0.45, 0.18],
    "sun.angle_deg": 4,
    "world.color": [0.55, 0.35, 0.35],
    "world.strength": 0.6,
    "render.exposure": 0.3,
  },
  overcast: {
    "sun.elevation_deg": 60,
    "sun.azimuth_deg": 30,
    "sun.strength": 0.4,
    "sun.color": [0.9, 0.92, 1],
    "sun.angle_deg": 40,
    "world.color": [0.75, 0.77, 0.8],
    "world.strength": 1.4,
    "render.exposure": 0,
  },
  night: {
    "sun.elevation_deg": 35,
    "sun.azimuth_deg": 120,
    "sun.strength": 0.25,
    "sun.color": [0.6, 0.7, 1],
    "sun.angle_deg": 1,
    "world.color": [0.02, 0.03, 0.07],
    "world.strength": 1,
    "render.exposure": 0.5,
  },
};

/**
 * The relit lighting section: the scene library's lighting module nested inside it, then the
 * same calls an emitted program makes. Nesting makes the section independent of whatever the
 * program's header defines (a VLM-written header may have no helpers, or others by these names).
 */
function lightingSection(): string {
  const helpers = moduleBody("lighting")
    .split("\n")
    .map((line) => (line ? `    ${line}` : line))
    .join("\n");
  return `def build_lighting(P):
    import math
    from mathutils import Vector

${helpers}
    add_sun("sun", P["sun.elevation_deg"], P["sun.azimuth_deg"], P["sun.strength"], P["sun.color"], P["sun.angle_deg"])
    set_world("world", P["world.color"], P["world.strength"])
    set_exposure(P["render.exposure"])
`;
}

export interface RelightOptions {
  sky?: SkyPreset;
  overrides?: Partial<Lighting>;
}

/** The program relit: its lighting section replaced, its lighting-only PARAMS replaced. */
export function relightProgram(source: string, options: RelightOptions): string {
  for (const [key, value] of Object.entries(options.overrides ?? {})) checkParamRange(key, value);
  const program = parseProgram(source);
  const current = pick(program.params);
  const base = options.sky ? PRESETS[options.sky] : { ...PRESETS.noon, ...current };
  const lighting = { ...base, ...options.overrides };
  const owners = paramOwners(program);
  const params: Params = { ...program.params };
  // Keys only the old lighting section read would be left dangling.
  for (const key of keysOwnedBy(program, "lighting")) if (owners[key]?.length === 1) delete params[key];
  Object.assign(params, lighting);
  return assembleProgram(replaceSection({ ...program, params }, "lighting", lightingSection()));
}

/** The lighting values a program already holds under the standard keys. */
function pick(params: Params): Partial<Lighting> {
  const keys = Object.keys(PRESETS.noon) as (keyof Lighting)[];
  return Object.fromEntries(keys.filter((k) => k in params).map((k) => [k, params[k]])) as Partial<Lighting>;
}
