/**
 * The PARAMS-driven primitives (superquadric, capsule, lathe, extrusion): their calls and
 * PARAMS survive emit → specFromProgram, the spec rejects them without their form, the
 * stages own and the search tunes their form, and — rendered by real Blender — each mesh spans
 * its size and its PARAMS change its silhouette the way they say.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../src/blender/pool.ts";
import type { JobReply } from "../src/blender/protocol.ts";
import { InputError } from "../src/errors.ts";
import { loadImage } from "../src/image/load.ts";
import type { RgbImage } from "../src/image/types.ts";
import { searchSpace } from "../src/offline/search-space.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram, specFromProgram } from "../src/program/emit.ts";
import { paramOwners } from "../src/program/ownership.ts";
import { checkParamRange } from "../src/program/param-ranges.ts";
import { parseProgram } from "../src/program/parse.ts";
import { moduleBody, sceneLibrary } from "../src/program/scene-library.ts";
import {
  SceneObject,
  type SceneObjectInput,
  SceneSpec,
  type SceneSpecInput,
  withShape,
} from "../src/program/scene-spec.ts";
import { STAGE_DEFINITIONS } from "../src/stages/index.ts";
import { SPEC } from "./program-fixture.ts";

const L_OUTLINE: [number, number][] = [
  [-0.5, -0.5],
  [0.5, -0.5],
  [0.5, 0],
  [0, 0],
  [0, 0.5],
  [-0.5, 0.5],
];

/** Black, matte objects against a white world and no sun: dark pixels are the silhouette. */
function scene(objects: Omit<SceneObjectInput, "color">[]): SceneSpecInput {
  return {
    objects: objects.map((o) => ({ color: [0, 0, 0], roughness: 1, ...o })),
    camera: { location: [0, -40, 0], lookAt: [0, 0, 0] },
    sun: { elevationDeg: 40, azimuthDeg: 30, strength: 0 },
    world: { color: [1, 1, 1] },
  };
}

const SHAPED = scene([
  { name: "box", shape: "superquadric", size: [1, 1, 1], location: [0, 0, 0], exponents: [0.1, 0.1] },
  { name: "ball", shape: "superquadric", size: [1, 1, 1], location: [3, 0, 0], exponents: [1, 1] },
  { name: "can", shape: "cylinder", size: [1, 1, 1.6], location: [6, 0, 0] },
  { name: "pill", shape: "capsule", size: [1, 1, 1.6], location: [9, 0, 0] },
  { name: "vase", shape: "lathe", size: [1, 1, 1.4], location: [12, 0, 0], profile: [1, 0.9, 0.7, 0.4] },
  // Turned so the outline faces the camera: local Y is world Z.
  {
    name: "bracket",
    shape: "extrusion",
    size: [1, 1, 0.3],
    location: [15, 0, 0],
    rotationDeg: [90, 0, 0],
    outline: L_OUTLINE,
  },
]);

describe("the PARAMS-driven primitives in the program", () => {
  it("emits a fourth argument only for the shapes that have a form, and reads every shape back", () => {
    const source = emitProgram(SHAPED);
    const { params, sections } = parseProgram(source);
    expect(sections.geometry).toContain(
      'primitive("box", "superquadric", P["box.size"], P["box.exponents"])',
    );
    expect(sections.geometry).toContain('primitive("pill", "capsule", P["pill.size"])\n');
    expect(sections.geometry).toContain('primitive("vase", "lathe", P["vase.size"], P["vase.profile"])');
    expect(sections.geometry).toContain(
      'primitive("bracket", "extrusion", P["bracket.size"], P["bracket.outline"])',
    );
    expect(sections.geometry).toContain('primitive("can", "cylinder", P["can.size"])\n');
    expect(params["box.exponents"]).toEqual([0.1, 0.1]);
    expect(params["vase.profile"]).toEqual([1, 0.9, 0.7, 0.4]);
    expect(params["bracket.outline"]).toEqual(L_OUTLINE);
    expect(Object.keys(params).filter((k) => k.startsWith("pill."))).not.toContain("pill.profile");
    expect(specFromProgram(source)).toEqual(SceneSpec.parse(SHAPED));
    // A PARAMS edit of the form is what comes back.
    const edited = source.replace('"box.exponents": [0.1, 0.1]', '"box.exponents": [0.5, 2]');
    expect(specFromProgram(edited)?.objects[0]?.exponents).toEqual([0.5, 2]);
  });

  it("gives the new shapes' helpers only to programs that build one", () => {
    const shaped = parseProgram(emitProgram(SHAPED)).header;
    expect(shaped).toContain(moduleBody("geometry") + "\n\n" + moduleBody("shapes"));
    const basic = parseProgram(emitProgram(SPEC)).header;
    expect(basic).toContain(sceneLibrary());
    expect(basic).not.toContain("def superquadric");
  });

  it("rejects a shape without its form, or with another shape's, saying what it needs", () => {
    const one = (o: Omit<SceneObjectInput, "color" | "size" | "location">) =>
      emitProgram(scene([{ size: [1, 1, 1], location: [0, 0, 0], ...o }]));
    expect(() => one({ name: "s", shape: "superquadric" })).toThrow(InputError);
    expect(() => one({ name: "s", shape: "superquadric" })).toThrow(
      /objects\[0\]\.exponents: a superquadric needs exponents: \[e1, e2\] in \[0\.1, 2\.5\]/,
    );
    expect(() => one({ name: "v", shape: "lathe", profile: [1] })).toThrow(
      /objects\[0\]\.profile: a profile needs at least 2 radii/,
    );
    expect(() => one({ name: "c", shape: "cube", exponents: [1, 1] })).toThrow(
      /objects\[0\]\.exponents: only a superquadric takes exponents, not a cube/,
    );
    expect(() =>
      one({
        name: "e",
        shape: "extrusion",
        outline: [
          [0, 0],
          [0.5, 0],
          [0.25, 0],
        ],
      }),
    ).toThrow(/an outline must enclose an area/);
    expect(() => checkParamRange("s.exponents", [0.05, 1])).toThrow(/s\.exponents/);
    expect(() => checkParamRange("v.profile", [0.2, 1.4])).toThrow(/v\.profile/);
    expect(() => checkParamRange("v.profile", [0.2, 1, 0.5])).not.toThrow();
  });

  it("drops a shape's form when an offline shape swap turns it into a basic shape", () => {
    const vase = SceneSpec.parse(SHAPED).objects.find((o) => o.name === "vase")!;
    const can = withShape(vase, "cylinder");
    expect(can).not.toHaveProperty("profile");
    expect(SceneObject.safeParse(can).success).toBe(true);
    expect(SceneObject.safeParse({ ...vase, shape: "cylinder" }).success).toBe(false);
  });

  it("lets geometry own the form, and the search tune exponents and profile radii within the spec's ranges", () => {
    const program = parseProgram(emitProgram(SHAPED));
    const owners = paramOwners(program);
    for (const key of ["box.exponents", "vase.profile", "bracket.outline"])
      expect(owners[key]).toEqual(["geometry"]);
    const geometry = STAGE_DEFINITIONS.geometry;
    const groups = searchSpace(program.params, Object.keys(program.params), geometry);
    const dims = groups.flatMap((g) => g.dims);
    const exponents = dims.filter((d) => d.key === "box.exponents");
    expect(exponents.map((d) => [d.lower, d.upper])).toEqual([
      [0.1, 2.5],
      [0.1, 2.5],
    ]);
    expect(dims.filter((d) => d.key === "vase.profile")).toHaveLength(4);
    expect(dims.some((d) => d.key === "bracket.outline")).toBe(false);
  });
});

interface Silhouette {
  /** Bounding box of the dark pixels, inclusive. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  dark: (x: number, y: number) => boolean;
  /** Dark pixels over the bounding box's area. */
  fill: number;
}

function silhouetteOf(img: RgbImage): Silhouette {
  const dark = (x: number, y: number) => {
    const i = (y * img.width + x) * 3;
    return img.data[i]! + img.data[i + 1]! + img.data[i + 2]! < 1.5;
  };
  let [x0, x1, y0, y1, count] = [img.width, -1, img.height, -1, 0];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!dark(x, y)) continue;
      count++;
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    }
  }
  return { x0, x1, y0, y1, dark, fill: count / ((x1 - x0 + 1) * (y1 - y0 + 1)) };
}

/** Share of dark pixels in a part of the box given in fractions of it (0..1). */
function share(s: Silhouette, fx0: number, fx1: number, fy0: number, fy1: number): number {
  const w = s.x1 - s.x0 + 1;
  const h = s.y1 - s.y0 + 1;
  let [n, d] = [0, 0];
  for (let y = s.y0 + Math.floor(fy0 * h); y < s.y0 + Math.ceil(fy1 * h); y++) {
    for (let x = s.x0 + Math.floor(fx0 * w); x < s.x0 + Math.ceil(fx1 * w); x++) {
      n++;
      if (s.dark(x, y)) d++;
    }
  }
  return d / n;
}

/** Dark pixels in the rows at fraction `fy` of the box (0 top, 1 bottom). */
function rowWidth(s: Silhouette, fy: number): number {
  const y = Math.round(s.y0 + fy * (s.y1 - s.y0));
  let n = 0;
  for (let x = s.x0; x <= s.x1; x++) if (s.dark(x, y)) n++;
  return n;
}

describe("the PARAMS-driven primitives in Blender", () => {
  let pool: BlenderPool;
  let dir: string;
  let reply: JobReply;
  const views = new Map<string, Silhouette>();
  // 600 mm at 40 m sees 2.4 m: one object per view, looked at straight on.
  const PX_PER_M = 128 / 2.4;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-primitives-"));
    pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
    const objects = SceneSpec.parse(SHAPED).objects;
    reply = await pool.run({
      body: programBody(emitProgram(SHAPED)),
      outDir: dir,
      render: {
        width: 128,
        height: 128,
        samples: 4,
        views: objects.map((o) => ({
          name: o.name,
          camera: { location: [o.location[0], -40, 0], lookAt: [o.location[0], 0, 0], lensMm: 600 },
        })),
      },
    });
    for (const image of reply.images) views.set(image.name, silhouetteOf(await loadImage(image.path)));
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("builds every shape, spanning exactly its size, and renders its pixels", () => {
    expect(reply.error).toBeNull();
    for (const o of SceneSpec.parse(SHAPED).objects) {
      const stats = reply.objects.find((s) => s.name === o.name)!;
      const extents = stats.bboxMax.map((v, i) => v - stats.bboxMin[i]!);
      const expected = o.name === "bracket" ? [o.size[0], o.size[2], o.size[1]] : o.size;
      for (const [i, e] of extents.entries()) expect(e, `${o.name} axis ${i}`).toBeCloseTo(expected[i]!, 3);
      const s = views.get(o.name)!;
      const height = o.name === "bracket" ? o.size[1] : o.size[2];
      expect(s.x1 - s.x0 + 1, o.name).toBeCloseTo(o.size[0] * PX_PER_M, -0.5);
      expect(s.y1 - s.y0 + 1, o.name).toBeCloseTo(height * PX_PER_M, -0.5);
    }
  });

  it("fills its box with a superquadric at exponents 0.1 and a disc's π/4 of it at 1", () => {
    expect(views.get("box")!.fill).toBeGreaterThan(0.95);
    expect(views.get("ball")!.fill).toBeGreaterThan(0.74);
    expect(views.get("ball")!.fill).toBeLessThan(0.82);
  });

  it("rounds a capsule's ends where a cylinder side-on has corners", () => {
    const can = views.get("can")!;
    const pill = views.get("pill")!;
    expect(can.fill).toBeGreaterThan(0.95);
    expect(pill.fill).toBeLessThan(0.9);
    for (const [fx0, fy0] of [
      [0, 0],
      [0.9, 0],
      [0, 0.93],
      [0.9, 0.93],
    ] as const) {
      // The corner blocks' outer pixels are half covered (antialiasing) even for the cylinder.
      expect(share(can, fx0, fx0 + 0.1, fy0, fy0 + 0.07)).toBeGreaterThan(0.6);
      expect(share(pill, fx0, fx0 + 0.1, fy0, fy0 + 0.07)).toBeLessThan(0.05);
    }
  });

  it("narrows a lathe's silhouette where its profile narrows", () => {
    const vase = views.get("vase")!;
    const [top, bottom] = [rowWidth(vase, 0.02), rowWidth(vase, 0.98)];
    expect(top / bottom).toBeGreaterThan(0.3);
    expect(top / bottom).toBeLessThan(0.5);
  });

  it("leaves an L outline's missing quadrant empty", () => {
    const bracket = views.get("bracket")!;
    expect(share(bracket, 0.55, 1, 0, 0.45)).toBeLessThan(0.03);
    expect(share(bracket, 0, 0.45, 0, 0.45)).toBeGreaterThan(0.9);
    expect(share(bracket, 0, 1, 0.55, 1)).toBeGreaterThan(0.9);
  });
});
