/**
 * A scene of Blender primitives described as data. It is what classical image analysis
 * proposes (src/offline), what the benchmark generator writes as ground truth (src/bench),
 * and what the test oracle knows. `emit.ts` turns it into a scene program whose PARAMS
 * hold every continuous quantity below, so stages and the numeric search can tune them.
 *
 * Units are metres and degrees; colours are linear RGB in [0, 1]. The world is Z-up and
 * the ground is the plane z = 0.
 */
import { z } from "zod";

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const Rgb = z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]);

export const Shape = z.enum(["cube", "sphere", "cylinder", "cone", "torus"]);
export type Shape = z.infer<typeof Shape>;

/** Object names become Python identifiers-ish keys in PARAMS, so keep them simple. */
export const ObjectName = z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _");

export const SceneObject = z.object({
  name: ObjectName,
  shape: Shape,
  /** Full extents along the object's local X, Y, Z (a sphere of radius r has size [2r, 2r, 2r]). */
  size: Vec3,
  /** Centre of the object's bounding box in world space. */
  location: Vec3,
  rotationDeg: Vec3.default([0, 0, 0]),
  color: Rgb,
  roughness: z.number().min(0).max(1).default(0.5),
  metallic: z.number().min(0).max(1).default(0),
});
export type SceneObject = z.infer<typeof SceneObject>;

export const Camera = z.object({
  location: Vec3,
  lookAt: Vec3,
  lensMm: z.number().positive().default(35),
  /** Sensor width in mm, fit horizontally. */
  sensorMm: z.number().positive().default(36),
});

export const Sun = z.object({
  elevationDeg: z.number().min(-90).max(90),
  azimuthDeg: z.number(),
  strength: z.number().min(0),
  color: Rgb.default([1, 1, 1]),
  /** Angular diameter: softness of shadows. */
  angleDeg: z.number().min(0).max(180).default(5),
});

export const World = z.object({
  color: Rgb,
  strength: z.number().min(0).default(1),
});

export const Ground = z.object({
  color: Rgb,
  roughness: z.number().min(0).max(1).default(0.8),
  /** Edge length of the square ground plane. */
  size: z.number().positive().default(40),
});

export const SceneSpec = z.object({
  objects: z.array(SceneObject),
  camera: Camera,
  sun: Sun,
  world: World,
  /** Omit for no ground plane. */
  ground: Ground.optional(),
  /** Exposure in stops (colour management), owned by lighting. */
  exposure: z.number().default(0),
});
export type SceneSpec = z.infer<typeof SceneSpec>;
export type SceneSpecInput = z.input<typeof SceneSpec>;
