import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../src/blender/pool.ts";
import { InputError } from "../src/errors.ts";
import { assembleProgram, programBody } from "../src/program/assemble.ts";
import { emitProgram, specFromProgram, withOriginOf } from "../src/program/emit.ts";
import { checkParamEdit, paramOwners, unownedKeys } from "../src/program/ownership.ts";
import { setParam } from "../src/program/params.ts";
import { parseProgram } from "../src/program/parse.ts";
import { SceneSpec } from "../src/program/scene-spec.ts";
import { validateProgram } from "../src/program/validate.ts";
import { SPEC, sampleProgram } from "./program-fixture.ts";
import { renderProgram, runProgramInBlender } from "./support/blender.ts";

const TABLETOP = new URL("../examples/tabletop/program.py", import.meta.url);

describe("emitProgram", () => {
  it("writes a valid program whose PARAMS follow the key convention", () => {
    const source = sampleProgram();
    const result = validateProgram(source);
    expect(result.problems).toEqual([]);
    const p = parseProgram(source);
    expect(Object.keys(p.params)).toEqual([
      "mug.size",
      "ball.size",
      "ground.size",
      "mug.color",
      "mug.roughness",
      "mug.metallic",
      "ball.color",
      "ball.roughness",
      "ball.metallic",
      "ground.color",
      "ground.roughness",
      "mug.location",
      "mug.rotation_deg",
      "ball.location",
      "ball.rotation_deg",
      "camera.location",
      "camera.look_at",
      "camera.lens_mm",
      "camera.sensor_mm",
      "sun.elevation_deg",
      "sun.azimuth_deg",
      "sun.strength",
      "sun.color",
      "sun.angle_deg",
      "world.color",
      "world.strength",
      "render.exposure",
    ]);
    const owners = paramOwners(p);
    expect(owners["ground.roughness"]).toEqual(["material"]);
    expect(owners["camera.look_at"]).toEqual(["composition"]);
    expect(owners["sun.angle_deg"]).toEqual(["lighting"]);
    expect(p.params["ground.size"]).toBe(40);
    expect(p.params["camera.lens_mm"]).toBe(35);
    expect(source.split("\n")[0]).toBe("# seig scene program v1 — generated from photo.jpg");
    expect(assembleProgram(p)).toBe(source);
  });

  it("reads the spec back, including PARAMS edits, and refuses foreign programs", () => {
    const expected = SceneSpec.parse(SPEC);
    expect(specFromProgram(sampleProgram())).toEqual(expected);
    const edited = assembleProgram(setParam(parseProgram(sampleProgram()), "ball.location", [1, 1, 0.15]));
    expect(specFromProgram(edited)?.objects[1]?.location).toEqual([1, 1, 0.15]);
    const p = parseProgram(sampleProgram());
    const noRoughness = { ...p.params };
    delete (noRoughness as Record<string, unknown>)["mug.roughness"];
    expect(specFromProgram(assembleProgram({ ...p, params: noRoughness }))).toBeNull();
    expect(specFromProgram("print('hello')\n")).toBeNull();
    const noGround = SceneSpec.parse({ ...SPEC, ground: undefined });
    expect(specFromProgram(emitProgram(noGround))).toEqual(noGround);
  });

  it("rejects reserved and duplicate object names and invalid specs", () => {
    const cube = SPEC.objects[0]!;
    expect(() => emitProgram({ ...SPEC, objects: [{ ...cube, name: "camera" }] })).toThrow(
      /object name "camera" is reserved/,
    );
    expect(() => emitProgram({ ...SPEC, objects: [cube, cube] })).toThrow(/two objects are named "mug"/);
    expect(() => emitProgram({ ...SPEC, objects: [{ ...cube, name: "Mug" }] })).toThrow(InputError);
    expect(() => emitProgram({ ...SPEC, objects: [{ ...cube, name: "Mug" }] })).toThrow(
      /scene spec is invalid: objects\[0\]\.name: lower-case letters, digits and _/,
    );
  });

  it("the tabletop example is what scripts/make-examples.ts writes from its scene.json", async () => {
    const spec = JSON.parse(
      await readFile(new URL("../examples/tabletop/scene.json", import.meta.url), "utf8"),
    );
    expect(await readFile(TABLETOP, "utf8")).toBe(
      emitProgram(spec, { source: "examples/tabletop/scene.json", resolution: { width: 320, height: 240 } }),
    );
  });

  it("carries the photo's size as render.resolution, which no stage owns", () => {
    const program = parseProgram(emitProgram(SPEC, { resolution: { width: 64, height: 48 } }));
    expect(program.params["render.resolution"]).toEqual([64, 48]);
    expect(unownedKeys(program)).toEqual(["render.resolution"]);
    const reframed = { ...program, params: { ...program.params, "render.resolution": [10, 10] } };
    expect(checkParamEdit(program, reframed, "composition")).toEqual([
      { key: "render.resolution", change: "changed", owners: [] },
    ]);
    expect(parseProgram(emitProgram(SPEC)).params).not.toHaveProperty("render.resolution");
  });
});

describe("emitted programs in Blender", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-program-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the tabletop example runs standalone and renders from the command line", async () => {
    const out = path.join(dir, "tabletop.png");
    await renderProgram(TABLETOP.pathname, out, 64, 48, 4);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([64, 48]);
    const stats = await sharp(out).stats();
    // A lit scene, not a black or flat frame.
    expect(stats.channels[0]!.mean).toBeGreaterThan(20);
    expect(stats.channels[0]!.stdev).toBeGreaterThan(5);
  });

  it("a failing program makes Blender exit non-zero with the Python error in its output", async () => {
    const broken = path.join(dir, "broken.py");
    await writeFile(
      broken,
      sampleProgram().replace('primitive("mug", "cylinder"', 'primitive("mug", "pyramid"'),
    );
    // Exit code 1 from --python-exit-code, and the program's own exception (raised by
    // primitive() for the unknown shape) is what the caller reads, with the failing call.
    await expect(runProgramInBlender(broken)).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/primitive\("mug", "pyramid"[\s\S]*ValueError: unknown shape pyramid/),
    });
  });

  it("builds every shape with the spec's sizes, placements, materials, camera and sun", async () => {
    const spec = SceneSpec.parse({
      ...SPEC,
      objects: [
        {
          name: "box",
          shape: "cube",
          size: [1, 0.5, 0.25],
          location: [1, 2, 0.125],
          rotationDeg: [0, 0, 90],
          color: [0.9, 0.1, 0.1],
        },
        {
          name: "ball",
          shape: "sphere",
          size: [0.6, 0.6, 0.6],
          location: [-1, 0, 0.3],
          color: [0.1, 0.9, 0.1],
          roughness: 0.2,
        },
        {
          name: "can",
          shape: "cylinder",
          size: [0.4, 0.4, 1],
          location: [0, -1, 0.5],
          color: [0.1, 0.1, 0.9],
          metallic: 1,
        },
        { name: "cone", shape: "cone", size: [0.5, 0.5, 0.8], location: [0, 1, 0.4], color: [0.5, 0.5, 0.1] },
        { name: "ring", shape: "torus", size: [1, 1, 0.25], location: [2, 0, 0.125], color: [0.3, 0.3, 0.3] },
      ],
      sun: { elevationDeg: 30, azimuthDeg: 90, strength: 4 },
    });
    const pool = await BlenderPool.start({ size: 1 });
    try {
      const reply = await pool.run({
        body: programBody(emitProgram(spec)),
        render: { width: 32, height: 24, samples: 2 },
      });
      expect(reply.error).toBeNull();
      expect(reply.ok).toBe(true);
      expect(reply.images).toHaveLength(1);
      const byName = new Map(reply.objects.map((o) => [o.name, o]));
      expect([...byName.keys()].sort()).toEqual([
        "ball",
        "box",
        "camera",
        "can",
        "cone",
        "ground",
        "ring",
        "sun",
      ]);
      for (const o of spec.objects) {
        const stats = byName.get(o.name)!;
        // A 90° turn about Z swaps the world extents along X and Y.
        const size = o.rotationDeg[2] === 90 ? [o.size[1], o.size[0], o.size[2]] : o.size;
        const extent = stats.bboxMax.map((v, i) => v - stats.bboxMin[i]!);
        const centre = stats.bboxMax.map((v, i) => (v + stats.bboxMin[i]!) / 2);
        for (let i = 0; i < 3; i++) {
          expect(extent[i]).toBeCloseTo(size[i]!, 2);
          expect(centre[i]).toBeCloseTo(o.location[i]!, 2);
        }
        expect(stats.materials).toEqual([`${o.name}_mat`]);
        for (let i = 0; i < 3; i++) expect(stats.baseColor![i]).toBeCloseTo(o.color[i]!, 4);
        expect(stats.roughness).toBeCloseTo(o.roughness, 4);
        expect(stats.metallic).toBeCloseTo(o.metallic, 4);
      }
      const ground = byName.get("ground")!;
      expect(ground.bboxMax[0] - ground.bboxMin[0]).toBeCloseTo(40, 4);
      expect(ground.bboxMax[2]).toBeCloseTo(0, 6);
      expect(byName.get("camera")!.location).toEqual(spec.camera.location.map((v) => expect.closeTo(v, 5)));
      // Azimuth 90° puts the sun over +Y; elevation 30° lifts it by sin 30° of its distance.
      const sun = byName.get("sun")!.location;
      expect(sun[0]).toBeCloseTo(0, 4);
      expect(sun[2] / Math.hypot(...sun)).toBeCloseTo(0.5, 4);
      expect(sun[1]).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});

describe("withOriginOf", () => {
  it("keeps the photo a program was generated from when a move re-emits its scene", () => {
    const spec = specFromProgram(sampleProgram())!;
    const original = emitProgram(spec, { source: "clevr.png" });
    const reemitted = emitProgram(spec);
    expect(reemitted.split("\n")[0]).toContain("generated from a scene spec");
    expect(withOriginOf(original, reemitted)).toBe(original);
    // A program not in emitProgram's form is left as it is.
    expect(withOriginOf("import bpy\n", reemitted)).toBe(reemitted);
  });
});
