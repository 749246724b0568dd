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

/** The shapes every seig version has built; programs of only these read as they always did. */
export const BASIC_SHAPES = ["cube", "sphere", "cylinder", "cone", "torus"] as const;
export const Shape = z.enum([...BASIC_SHAPES, "superquadric", "capsule", "lathe", "extrusion"]);
export type Shape = z.infer<typeof Shape>;

export function isBasicShape(shape: Shape): boolean {
  return (BASIC_SHAPES as readonly string[]).includes(shape);
}

/**
 * A superquadric's [e1, e2]: e1 shapes the vertical profile, e2 the horizontal cross-section.
 * 1, 1 is an ellipsoid; 0.1, 0.1 a box with barely rounded edges; 0.1, 1 a cylinder; 2 a
 * diamond. Below 0.1 the mesh's corners get no vertices; above 2.5 it pinches to spikes.
 */
export const EXPONENT_RANGE = [0.1, 2.5] as const;
const Exponent = z.number().min(EXPONENT_RANGE[0]).max(EXPONENT_RANGE[1]);
export const Exponents = z.tuple([Exponent, Exponent]);

/**
 * A lathe's radii at evenly spaced heights, bottom to top, as fractions of the half-width.
 * The widest ring spans the object's size, so only the proportions matter; an end radius 0
 * closes that end in a point.
 */
export const Profile = z
  .array(z.number().min(0).max(1))
  .min(2, "a profile needs at least 2 radii (bottom and top)")
  .max(16, "a profile has at most 16 radii")
  .refine((radii) => radii.some((r) => r > 0), "a profile needs at least one radius above 0");

const Coordinate = z.number().min(-0.5).max(0.5);
/** Twice the signed area of a polygon (positive when counter-clockwise). */
export function doubleArea(points: readonly (readonly [number, number])[]): number {
  return points.reduce((sum, [x, y], i) => {
    const [nx, ny] = points[(i + 1) % points.length]!;
    return sum + x * ny - nx * y;
  }, 0);
}
/**
 * An extrusion's closed outline, [x, y] points in [-0.5, 0.5]², counter-clockwise by
 * convention (either way round builds the same solid). Its bounding box is stretched to the
 * object's size, like every primitive's mesh.
 */
export const Outline = z
  .array(z.tuple([Coordinate, Coordinate]))
  .min(3, "an outline needs at least 3 points")
  .max(64, "an outline has at most 64 points")
  .refine((points) => Math.abs(doubleArea(points)) > 1e-4, "an outline must enclose an area");

/** Which shapes need a quantity of their own besides size, and its name in SceneObject and PARAMS. */
export const SHAPE_QUANTITY = { superquadric: "exponents", lathe: "profile", extrusion: "outline" } as const;
type ShapeQuantity = (typeof SHAPE_QUANTITY)[keyof typeof SHAPE_QUANTITY];
const HINTS: Record<ShapeQuantity, string> = {
  exponents: `[e1, e2] in [${EXPONENT_RANGE.join(", ")}] (1, 1 an ellipsoid; 0.1, 0.1 a box; 0.1, 1 a cylinder)`,
  profile: "a list of 2–16 radii in [0, 1], bottom to top",
  outline: "a list of at least 3 [x, y] points in [-0.5, 0.5]², counter-clockwise",
};

export function shapeQuantity(shape: Shape): ShapeQuantity | null {
  return Object.hasOwn(SHAPE_QUANTITY, shape) ? SHAPE_QUANTITY[shape as keyof typeof SHAPE_QUANTITY] : null;
}

/** Object names become Python identifiers-ish keys in PARAMS, so keep them simple. */
export const ObjectName = z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _");

export const SceneObject = z
  .object({
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
    exponents: Exponents.optional(),
    profile: Profile.optional(),
    outline: Outline.optional(),
  })
  .superRefine((o, ctx) => {
    // Present exactly when the shape reads it: a stray one would be dropped on emit and
    // missing from the round trip, a missing one has no sensible default.
    const needed = shapeQuantity(o.shape);
    for (const quantity of Object.values(SHAPE_QUANTITY)) {
      const present = o[quantity] !== undefined;
      if (quantity === needed && !present) {
        ctx.addIssue({
          code: "custom",
          path: [quantity],
          message: `a ${o.shape} needs ${quantity}: ${HINTS[quantity]}`,
        });
      } else if (quantity !== needed && present) {
        const owner = Object.entries(SHAPE_QUANTITY).find(([, q]) => q === quantity)![0];
        ctx.addIssue({
          code: "custom",
          path: [quantity],
          message: `only a ${owner} takes ${quantity}, not a ${o.shape}; drop it or change the shape`,
        });
      }
    }
  });
export type SceneObject = z.infer<typeof SceneObject>;
export type SceneObjectInput = z.input<typeof SceneObject>;

/** `o` as a `shape`, without the quantities only its old shape read (a shape swap). */
export function withShape(o: SceneObject, shape: Shape): SceneObject {
  const { exponents, profile, outline, ...rest } = o;
  return { ...rest, shape };
}

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
