/** Ground-truth scenes the oracle tests share, and rendering them into target photos. */
import path from "node:path";
import type { BlenderPool } from "../../src/blender/pool.ts";
import { programBody } from "../../src/program/assemble.ts";
import { emitProgram } from "../../src/program/emit.ts";
import type { SceneObject, SceneSpecInput } from "../../src/program/scene-spec.ts";

type ObjectInput = Omit<SceneObject, "rotationDeg" | "metallic" | "roughness"> & { roughness: number };

const BOX: ObjectInput = {
  name: "box",
  shape: "cube",
  size: [1.2, 1.2, 1.2],
  location: [-0.8, 0.2, 0.6],
  color: [0.8, 0.15, 0.1],
  roughness: 0.6,
};
const BALL: ObjectInput = {
  name: "ball",
  shape: "sphere",
  size: [1, 1, 1],
  location: [0.9, -0.3, 0.5],
  color: [0.1, 0.3, 0.85],
  roughness: 0.3,
};
const CAN: ObjectInput = {
  name: "can",
  shape: "cylinder",
  size: [0.6, 0.6, 1.4],
  location: [0.2, 1.3, 0.7],
  color: [0.9, 0.8, 0.2],
  roughness: 0.4,
};

function scene(objects: ObjectInput[]): SceneSpecInput {
  return {
    objects,
    camera: { location: [5.5, -6, 4.2], lookAt: [0, 0, 0.5], lensMm: 40 },
    sun: { elevationDeg: 40, azimuthDeg: 200, strength: 4 },
    world: { color: [0.55, 0.65, 0.8], strength: 0.8 },
    ground: { color: [0.45, 0.45, 0.42] },
  };
}

/** A red box and a blue ball on a grey ground. */
export const TWO_THINGS = scene([BOX, BALL]);
/** The same with the box moved a little and a yellow can behind them. */
export const THREE_THINGS = scene([{ ...BOX, location: [-0.9, 0.2, 0.6] }, BALL, CAN]);

/** Renders a ground-truth scene into `<dir>/target.png`-like output; returns the image path. */
export async function renderTruth(
  pool: BlenderPool,
  truth: SceneSpecInput,
  outDir: string,
  render: { width: number; height: number; samples: number },
): Promise<string> {
  const reply = await pool.run({
    body: programBody(emitProgram(truth)),
    outDir: path.resolve(outDir),
    render: { ...render, views: [{ name: "target" }] },
  });
  if (!reply.ok) throw new Error(`rendering the truth failed: ${reply.error?.message}`);
  return reply.images[0]!.path;
}
