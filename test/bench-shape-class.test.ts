/**
 * Primitive classes from the built solid (bench/shape-class.ts): every basic shape of the
 * scene library, built by Blender at odd proportions and rotations, is told apart from its
 * mesh alone; a bevelled box (bpy.ops, not the library) is still a cube; a superquadric at its
 * extremes is the cube, sphere or cylinder it approximates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shapeClass } from "../src/bench/shape-class.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { BASIC_SHAPES, type SceneObjectInput } from "../src/program/scene-spec.ts";

let pool: BlenderPool;
beforeAll(async () => {
  pool = await BlenderPool.start({ size: 1 });
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

describe("shape classes", () => {
  it("tells every library primitive apart from its mesh, whatever its proportions", async () => {
    const objects = BASIC_SHAPES.flatMap((shape, i) =>
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

  it("classes a superquadric by the shape its exponents approximate, and a tall capsule as a cylinder", async () => {
    const cases: [Omit<SceneObjectInput, "color">, string][] = [
      [
        {
          name: "box",
          shape: "superquadric",
          size: [0.9, 0.4, 0.3],
          location: [0, 0, 0],
          exponents: [0.1, 0.1],
        },
        "cube",
      ],
      [
        {
          name: "ball",
          shape: "superquadric",
          size: [0.5, 0.6, 0.7],
          location: [2, 0, 0],
          exponents: [1, 1],
        },
        "sphere",
      ],
      [
        {
          name: "can",
          shape: "superquadric",
          size: [0.4, 0.4, 0.9],
          location: [4, 0, 0],
          exponents: [0.1, 1],
        },
        "cylinder",
      ],
      [{ name: "pill", shape: "capsule", size: [0.3, 0.3, 1], location: [6, 0, 0] }, "cylinder"],
      [
        {
          name: "plate",
          shape: "extrusion",
          size: [1, 1, 0.1],
          location: [8, 0, 0],
          outline: [
            [-0.5, -0.5],
            [0.5, -0.5],
            [0.5, 0.5],
            [-0.5, 0.5],
          ],
        },
        "cube",
      ],
      [
        { name: "tube", shape: "lathe", size: [0.3, 0.3, 1], location: [10, 0, 0], profile: [1, 1, 1] },
        "cylinder",
      ],
    ];
    const source = emitProgram({
      objects: cases.map(([o]) => ({ ...o, rotationDeg: [0, 0, 30], color: [0.5, 0.5, 0.5] })),
      camera: { location: [6, -6, 4], lookAt: [0, 0, 0] },
      sun: { elevationDeg: 40, azimuthDeg: 30, strength: 3 },
      world: { color: [0.5, 0.5, 0.5] },
    });
    const reply = await pool.run({ body: programBody(source) });
    expect(reply.error).toBeNull();
    for (const [o, expected] of cases) {
      const stats = reply.objects.find((s) => s.name === o.name)!;
      expect(shapeClass(stats.volumeRatio, stats.eulerCharacteristic), o.name).toBe(expected);
    }
  }, 60_000);
});
