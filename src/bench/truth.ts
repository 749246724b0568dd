/**
 * The ground truth of a benchmark scene (`truth.json`): the scene's camera and lights, every
 * primitive (shape, size, pose, colour, material class) and the composites people count,
 * with world bounding boxes measured by Blender on the built scene so truth and
 * reconstruction are measured the same way.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { ObjectStats } from "../blender/protocol.ts";
import { InputError } from "../errors.ts";
import { Camera, Ground, Shape, Sun, World } from "../program/scene-spec.ts";
import { groupParts, materialClass, type Thing } from "./errors3d.ts";
import type { BenchScene } from "./suites/bench-scene.ts";

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const MaterialClass = z.enum(["metal", "rubber"]);

export const TruthPart = z.object({
  name: z.string(),
  composite: z.string(),
  shape: Shape,
  size: Vec3,
  location: Vec3,
  rotationDeg: Vec3,
  color: Vec3,
  roughness: z.number(),
  metallic: z.number(),
  materialClass: MaterialClass,
  bboxMin: Vec3,
  bboxMax: Vec3,
});
export type TruthPart = z.infer<typeof TruthPart>;

export const TruthObject = z.object({
  name: z.string(),
  kind: z.string(),
  role: z.enum(["object", "structure"]),
  parts: z.array(z.string()),
  bboxMin: Vec3,
  bboxMax: Vec3,
  /** Colour and class of the largest part. */
  color: Vec3,
  materialClass: MaterialClass,
});
export type TruthObject = z.infer<typeof TruthObject>;

export const Truth = z.object({
  version: z.literal(1),
  suite: z.string(),
  id: z.string(),
  seed: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  samples: z.number().int(),
  camera: Camera,
  sun: Sun,
  world: World,
  ground: Ground.nullable(),
  exposure: z.number(),
  objects: z.array(TruthObject),
  parts: z.array(TruthPart),
});
export type Truth = z.infer<typeof Truth>;

/** Builds truth.json from a generated scene and the stats of its built program. */
export function buildTruth(
  scene: BenchScene,
  stats: readonly ObjectStats[],
  meta: { suite: string; id: string; seed: number; samples: number },
): Truth {
  const measured = new Map(stats.map((s) => [s.name, s]));
  const compositeOf = new Map(scene.composites.flatMap((c) => c.parts.map((p) => [p, c.name] as const)));
  const parts: TruthPart[] = scene.spec.objects.map((o) => {
    const box = measured.get(o.name);
    if (!box) throw new Error(`Blender built no object named ${o.name}`);
    return {
      name: o.name,
      composite: compositeOf.get(o.name) ?? o.name,
      shape: o.shape,
      size: o.size,
      location: o.location,
      rotationDeg: o.rotationDeg,
      color: o.color,
      roughness: o.roughness,
      metallic: o.metallic,
      materialClass: materialClass(o.metallic),
      bboxMin: box.bboxMin,
      bboxMax: box.bboxMax,
    };
  });
  const objects = scene.composites.map((c) => {
    const [thing] = groupParts(parts.filter((p) => c.parts.includes(p.name)));
    return { name: c.name, kind: c.kind, role: c.role, parts: c.parts, ...withoutName(thing!) };
  });
  const { camera, sun, world, ground, exposure } = scene.spec;
  return {
    version: 1,
    ...meta,
    width: scene.width,
    height: scene.height,
    camera,
    sun,
    world,
    ground: ground ?? null,
    exposure,
    objects,
    parts,
  };
}

function withoutName(t: Thing): Omit<Thing, "name"> {
  const { name: _, ...rest } = t;
  return rest;
}

/** The things that are scored: objects, not the room's structure. */
export function truthThings(truth: Truth): Thing[] {
  return truth.objects
    .filter((o) => o.role === "object")
    .map(({ name, bboxMin, bboxMax, color, materialClass }) => ({
      name,
      bboxMin,
      bboxMax,
      color,
      materialClass,
    }));
}

export async function readTruth(file: string): Promise<Truth> {
  const text = await readFile(file, "utf8");
  const parsed = Truth.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `${file} is not a seig truth file (${issue.path.join(".")}: ${issue.message}); regenerate it with seig bench generate`,
    );
  }
  return parsed.data;
}
