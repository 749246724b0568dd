import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSuite, suiteProgram } from "../src/bench/generate.ts";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import { closeupScene } from "../src/bench/suites/closeup.ts";
import { objectScene } from "../src/bench/suites/object.ts";
import { roomScene } from "../src/bench/suites/room.ts";
import { tabletopScene } from "../src/bench/suites/tabletop.ts";
import { topdownScene } from "../src/bench/suites/topdown.ts";
import { Truth } from "../src/bench/truth.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { loadImage } from "../src/image/load.ts";
import { SceneSpec } from "../src/program/scene-spec.ts";
import { createRandom } from "../src/random.ts";

describe("suite generators", () => {
  it.each([
    ["clevr", clevrScene],
    ["tabletop", tabletopScene],
    ["room", roomScene],
    ["object", objectScene],
    ["topdown", topdownScene],
    ["closeup", closeupScene],
  ] as const)("%s: same seed → same scene, other seed → other scene, always a valid spec", (_, generate) => {
    const a = generate(createRandom(7));
    expect(generate(createRandom(7))).toEqual(a);
    expect(generate(createRandom(8))).not.toEqual(a);
    for (let seed = 0; seed < 20; seed++) {
      const scene = generate(createRandom(seed));
      expect(SceneSpec.safeParse(scene.spec).success).toBe(true);
      const names = scene.spec.objects.map((o) => o.name);
      expect(new Set(names).size).toBe(names.length);
      // Every primitive belongs to exactly one composite whose name prefixes it.
      const owned = scene.composites.flatMap((c) => c.parts.map((p) => [c.name, p]));
      expect(owned.map(([, p]) => p).sort()).toEqual([...names].sort());
      for (const [c, p] of owned) expect(p === c || p!.startsWith(`${c}_`)).toBe(true);
    }
  });

  it("clevr has 3–6 objects of its three shapes, rubber or metal", () => {
    for (let seed = 0; seed < 30; seed++) {
      const { spec } = clevrScene(createRandom(seed));
      expect(spec.objects.length).toBeGreaterThanOrEqual(3);
      expect(spec.objects.length).toBeLessThanOrEqual(6);
      for (const o of spec.objects) {
        expect(["cube", "sphere", "cylinder"]).toContain(o.shape);
        expect([0, 1]).toContain(o.metallic);
        expect(o.location[2]).toBeCloseTo(o.size[2] / 2);
      }
    }
  });

  it("suite programs depend only on suite, seed and index", () => {
    expect(suiteProgram("tabletop", 5, 2).source).toBe(suiteProgram("tabletop", 5, 2).source);
    expect(suiteProgram("tabletop", 5, 2).source).not.toBe(suiteProgram("tabletop", 5, 3).source);
  });
});

describe("generateSuite (Blender)", () => {
  let dir: string;
  let pool: BlenderPool;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-gen-"));
    pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
  });
  afterAll(async () => {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the same programs, truth and pixels for the same seed", async () => {
    const run = (name: string) =>
      generateSuite(pool, { suite: "room", n: 1, seed: 11, outDir: path.join(dir, name), samples: 4 });
    const [a, b] = [await run("a"), await run("b")];
    expect(b).toEqual(a);
    const file = (name: string, f: string) => path.join(dir, name, "room_000", f);
    expect(await readFile(file("b", "program.py"), "utf8")).toBe(
      await readFile(file("a", "program.py"), "utf8"),
    );
    expect(await readFile(file("b", "truth.json"), "utf8")).toBe(
      await readFile(file("a", "truth.json"), "utf8"),
    );
    const [pa, pb] = await Promise.all([
      loadImage(file("a", "target.png"), { maxSide: 0 }),
      loadImage(file("b", "target.png"), { maxSide: 0 }),
    ]);
    expect(pa.width).toBe(320);
    expect(pa.height).toBe(240);
    expect(Buffer.from(pb.data.buffer).equals(Buffer.from(pa.data.buffer))).toBe(true);

    const truth = Truth.parse(JSON.parse(await readFile(file("a", "truth.json"), "utf8")));
    expect(truth.objects.find((o) => o.name === "wall")?.role).toBe("structure");
    expect(truth.objects.filter((o) => o.role === "object").length).toBe(a.scenes[0]!.objects);
    for (const part of truth.parts) {
      // Blender's bounding box of an unrotated part is its size around its location.
      if (part.rotationDeg.every((r) => r === 0)) {
        for (let i = 0; i < 3; i++) expect(part.bboxMax[i]! - part.bboxMin[i]!).toBeCloseTo(part.size[i]!, 3);
      }
    }
  });
});
