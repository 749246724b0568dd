import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { NodeIO } from "@gltf-transform/core";
import { KHRONOS_EXTENSIONS } from "@gltf-transform/extensions";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportProgram } from "../src/apps/export.ts";
import { relightProgram } from "../src/apps/relight.ts";
import { renderViews } from "../src/apps/render-views.ts";
import { changesOutsideFactor } from "../src/apps/scope-check.ts";
import { applyAssignments, parseAssignment } from "../src/apps/set-params.ts";
import { diffFingerprints } from "../src/blender/fingerprint-diff.ts";
import { orbitCameras, sceneCentre } from "../src/blender/orbit.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { parseProgram } from "../src/program/parse.ts";

const example = readFileSync(new URL("../examples/tabletop/program.py", import.meta.url), "utf8");
const tiny = { width: 64, height: 48, samples: 4 };
let pool: BlenderPool;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "seig-apps-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [scratch] });
});
afterAll(async () => {
  await pool?.close();
});

describe("relight", () => {
  it("changes the lighting fingerprint and nothing else", async () => {
    const relit = relightProgram(example, { sky: "sunset", overrides: { "sun.azimuth_deg": 10 } });
    expect(await changesOutsideFactor(pool, example, relit, "lighting")).toEqual([]);
    const [before, after] = await Promise.all([
      pool.run({ body: programBody(example) }),
      pool.run({ body: programBody(relit) }),
    ]);
    const changed = diffFingerprints(before.fingerprint!, after.fingerprint!);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((c) => c.factor === "lighting")).toBe(true);
    expect(parseProgram(relit).params["sun.azimuth_deg"]).toBe(10);
  });

  it("keeps the program's own lighting values when only one is overridden", () => {
    const relit = parseProgram(relightProgram(example, { overrides: { "sun.strength": 9 } }));
    const original = parseProgram(example);
    expect(relit.params["sun.strength"]).toBe(9);
    expect(relit.params["world.color"]).toEqual(original.params["world.color"]);
    expect(relit.sections.geometry).toBe(original.sections.geometry);
  });
});

describe("set", () => {
  it("writes typed values, colours as linear RGB", () => {
    const edited = parseProgram(
      applyAssignments(example, ["red_box.color=#ffffff", "red_box.location=0,0,2"].map(parseAssignment)),
    );
    expect(edited.params["red_box.color"]).toEqual([1, 1, 1]);
    expect(edited.params["red_box.location"]).toEqual([0, 0, 2]);
  });

  it("fails on an unknown key and lists close matches", () => {
    expect(() => applyAssignments(example, [parseAssignment("red_box.colour=#ff0000")])).toThrow(
      /no key "red_box.colour"; did you mean "red_box.color"/,
    );
    expect(() => applyAssignments(example, [parseAssignment("red_box.location=1,2")])).toThrow();
  });
});

describe("views", () => {
  it("places orbit cameras at the program camera's distance from the centre", () => {
    const cams = orbitCameras({ camera: [4, 0, 3], centre: [0, 0, 1], count: 4 });
    const distances = cams.map((c) => Math.hypot(...c.location.map((v, i) => v - [0, 0, 1][i]!)));
    for (const d of distances) expect(d).toBeCloseTo(Math.hypot(4, 2), 9);
    expect(new Set(cams.map((c) => c.location.map((v) => v.toFixed(6)).join())).size).toBe(4);
  });

  it("renders four distinct views at the same distance from the scene centre", async () => {
    const outDir = path.join(scratch, "views");
    const { images } = await renderViews(pool, {
      source: example,
      outDir,
      ...tiny,
      orbit: 4,
      orbitOnly: true,
    });
    expect(images.map((i) => i.name)).toEqual(["orbit_00", "orbit_01", "orbit_02", "orbit_03"]);
    const pixels = await Promise.all(images.map((i) => sharp(i.path).raw().toBuffer()));
    for (let i = 1; i < pixels.length; i++) expect(pixels[i]!.equals(pixels[0]!)).toBe(false);
    const built = await pool.run({ body: programBody(example) });
    expect(sceneCentre(built.objects)[2]).toBeGreaterThan(0);
  });
});

describe("export", () => {
  it("writes a .glb with the scene's object names, material colours and camera", async () => {
    const glb = path.join(scratch, "scene.glb");
    const blend = path.join(scratch, "scene.blend");
    const written = await exportProgram(pool, { source: example, glb, blend });
    expect(written).toEqual([blend, glb]);
    expect((await readFile(blend)).subarray(0, 7).toString()).toBe("BLENDER");
    const doc = await new NodeIO().registerExtensions(KHRONOS_EXTENSIONS).read(glb);
    const root = doc.getRoot();
    const names = root.listNodes().map((n) => n.getName());
    const params = parseProgram(example).params;
    for (const name of ["red_box", "steel_ball", "green_can", "ground"]) expect(names).toContain(name);
    expect(root.listCameras()).toHaveLength(1);
    const red = root.listMaterials().find((m) => m.getName() === "red_box_mat")!;
    const expected = params["red_box.color"] as number[];
    const actual = red.getBaseColorFactor().slice(0, 3);
    for (const [i, v] of actual.entries()) expect(v).toBeCloseTo(expected[i]!, 3);
    expect(
      root
        .listMaterials()
        .find((m) => m.getName() === "steel_ball_mat")!
        .getMetallicFactor(),
    ).toBeCloseTo(1, 3);
  });
});
