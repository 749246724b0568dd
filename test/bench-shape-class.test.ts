/**
 * Primitive classes from the built solid (bench/shape-class.ts): every shape of the scene
 * library, built by Blender at odd proportions and rotations, is told apart from its mesh
 * alone; a bevelled box (bpy.ops, not the library) is still a cube.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shapeClass } from "../src/bench/shape-class.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { Shape } from "../src/program/scene-spec.ts";

let pool: BlenderPool;
beforeAll(async () => {
  pool = await BlenderPool.start({ size: 1 });
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

describe("shape classes", () => {
  it("tells every library primitive apart from its mesh, whatever its proportions", async () => {
    const objects = Shape.options.flatMap((shape, i) =>
      [
        [0.5, 0.5, 0.5],
        [0.9, 0.3, 0.2],
      ].map((size, k) => ({
        name: `${shape}${k}`,
        shape,
        size: size as [number, number, number],
        location: [i * 1.2 - 2.4, k * 1.2, 0.3] as [number, number, number],
        rotationDeg: [0, 0, 35 * k] as [number, number, number],
        color: [0.5, 0.5, 0.5] as [number, number, number],
      })),
    );
    const source = emitProgram({
      objects,
      camera: { location: [6, -6, 4], lookAt: [0, 0, 0] },
      sun: { elevationDeg: 40, azimuthDeg: 30, strength: 3 },
      world: { color: [0.5, 0.5, 0.5] },
    });
    const reply = await pool.run({ body: programBody(source) });
    expect(reply.error).toBeNull();
    for (const o of objects) {
      const stats = reply.objects.find((s) => s.name === o.name)!;
      expect(shapeClass(stats.volumeRatio, stats.eulerCharacteristic), o.name).toBe(o.shape);
    }
  }, 60_000);

  it("calls a bevelled box a cube and leaves an open sheet unclassified", async () => {
    const body = programBody(
      emitProgram({
        objects: [],
        camera: { location: [4, -4, 3], lookAt: [0, 0, 0] },
        sun: { elevationDeg: 40, azimuthDeg: 30, strength: 3 },
        world: { color: [0.5, 0.5, 0.5] },
      }),
    ).replace(
      "def build_geometry(P):\n",
      [
        "def build_geometry(P):",
        "    bpy.ops.mesh.primitive_cube_add(size=1)",
        "    box = bpy.context.object",
        "    box.name = 'rounded'",
        "    bevel = box.modifiers.new('b', 'BEVEL')",
        "    bevel.width = 0.1",
        "    bevel.segments = 3",
        "    bpy.ops.object.modifier_apply(modifier='b')",
        "    bpy.ops.mesh.primitive_grid_add(size=1)",
        "    bpy.context.object.name = 'sheet'",
        "",
      ].join("\n"),
    );
    const reply = await pool.run({ body });
    expect(reply.error).toBeNull();
    const stats = (name: string) => reply.objects.find((s) => s.name === name)!;
    expect(shapeClass(stats("rounded").volumeRatio, stats("rounded").eulerCharacteristic)).toBe("cube");
    expect(shapeClass(stats("sheet").volumeRatio, stats("sheet").eulerCharacteristic)).not.toBe("torus");
  }, 60_000);
});
