/**
 * The ground truth of a benchmark scene (`truth.json`): the scene's camera and lights, every
 * primitive (shape, size, pose, colour, material class) and the composites people count.
 * Each primitive's world matrix and world bounding box, and the camera's world matrix, are
 * measured by Blender on the built scene, so truth and reconstruction are measured the
 * same way.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { ObjectStats } from "../blender/protocol.ts";
import { InputError } from "../errors.ts";
import { inputProblem } from "../input-message.ts";
import { Camera, Ground, Shape, Sun, World } from "../program/scene-spec.ts";
import { type MeasuredScene, materialClass } from "./measured-scene.ts";
import type { BenchScene } from "./suites/bench-scene.ts";

/** The camera object emitProgram creates. */
const CAMERA_OBJECT = "camera";

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
  /** Object-to-world matrix, row-major 4×4. */
  matrixWorld: z.array(z.number()).length(16),
  bboxMin: Vec3,
  bboxMax: Vec3,
});
export type TruthPart = z.infer<typeof TruthPart>;

export const TruthObject = z.object({
  name: z.string(),
  kind: z.string(),
  role: z.enum(["object", "structure"]),
  parts: z.array(z.string()),
});
export type TruthObject = z.infer<typeof TruthObject>;

export const Truth = z.object({
  /** 2: world matrices of the parts and the camera (1 had world boxes only). */
  version: z.literal(2),
  suite: z.string(),
  id: z.string(),
  seed: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  samples: z.number().int(),
  camera: Camera,
  cameraMatrixWorld: z.array(z.number()).length(16),
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
    const built = measured.get(o.name);
    if (!built) throw new Error(`Blender built no object named ${o.name}`);
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
      matrixWorld: built.matrixWorld,
      bboxMin: built.bboxMin,
      bboxMax: built.bboxMax,
    };
  });
  const camera = measured.get(CAMERA_OBJECT);
  if (camera?.type !== "CAMERA") throw new Error(`Blender built no camera named ${CAMERA_OBJECT}`);
  const objects = scene.composites.map(({ name, kind, role, parts }) => ({ name, kind, role, parts }));
  const { sun, world, ground, exposure } = scene.spec;
  return {
    version: 2,
    ...meta,
    width: scene.width,
    height: scene.height,
    camera: scene.spec.camera,
    cameraMatrixWorld: camera.matrixWorld,
    sun,
    world,
    ground: ground ?? null,
    exposure,
    objects,
    parts,
  };
}

/** The scored scene: the truth camera and the objects (not the room's structure), part by part. */
export function truthScene(truth: Truth): MeasuredScene {
  const parts = new Map(truth.parts.map((p) => [p.name, p]));
  return {
    camera: {
      matrixWorld: truth.cameraMatrixWorld,
      lensMm: truth.camera.lensMm,
      sensorMm: truth.camera.sensorMm,
    },
    things: truth.objects
      .filter((o) => o.role === "object")
      .map((o) => ({
        name: o.name,
        parts: o.parts.map((name) => {
          const part = parts.get(name);
          if (!part) throw new InputError(`truth.json of ${truth.id} names a part ${name} it does not list`);
          return part;
        }),
      })),
  };
}

export async function readTruth(file: string): Promise<Truth> {
  const text = await readFile(file, "utf8");
  const json: unknown = JSON.parse(text);
  const problem = inputProblem(Truth, json, (key) => String(key ?? "it"));
  if (problem !== null) {
    throw new InputError(
      `${file} is not a seig truth file (${problem}); regenerate it with seig bench generate`,
    );
  }
  return Truth.parse(json);
}
