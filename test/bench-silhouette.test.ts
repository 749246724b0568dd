/**
 * Object-index masks (python/masks.py) and the silhouette IoUs built on them, with real
 * Blender: a mask labels each object's pixels and nothing else, and the IoUs are exactly 1 for
 * a program against itself, drop for a moved thing only, and count a missing thing as 0.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PROGRAM, TRUTH } from "../src/bench/generate.ts";
import { programErrors3d } from "../src/bench/program-errors.ts";
import { TRUTH_MASK_DIR } from "../src/bench/scene-masks.ts";
import type { BenchScene } from "../src/bench/suites/bench-scene.ts";
import { buildTruth } from "../src/bench/truth.ts";
import { type ObjectMask, readMask } from "../src/blender/mask.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { main } from "../src/cli/main.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { type SceneObject, SceneSpec, type SceneSpecInput } from "../src/program/scene-spec.ts";

const SIZE = { width: 160, height: 120 };

/** Three things side by side across the image (camera looks along +y, so +x is image right). */
const OBJECTS: SceneSpecInput["objects"] = [
  { name: "left", shape: "cube", size: [0.6, 0.6, 0.6], location: [-1.4, 0, 0.3], color: [0.8, 0.1, 0.1] },
  {
    name: "mug_body",
    shape: "cylinder",
    size: [0.6, 0.6, 0.6],
    location: [0, 0, 0.3],
    color: [0.1, 0.6, 0.1],
  },
  { name: "mug_lid", shape: "sphere", size: [0.3, 0.3, 0.3], location: [0, 0, 0.75], color: [0.1, 0.6, 0.1] },
  { name: "right", shape: "sphere", size: [0.6, 0.6, 0.6], location: [1.4, 0, 0.3], color: [0.1, 0.1, 0.8] },
];

function spec(objects: SceneSpecInput["objects"]): SceneSpecInput {
  return {
    objects,
    camera: { location: [0, -6, 1.5], lookAt: [0, 0, 0.4] },
    sun: { elevationDeg: 45, azimuthDeg: 30, strength: 3 },
    world: { color: [0.6, 0.7, 0.8] },
    ground: { color: [0.5, 0.5, 0.5] },
  };
}

const program = (objects: SceneSpecInput["objects"]) =>
  emitProgram(spec(objects), { source: "silhouette test", resolution: SIZE });

function shifted(prefix: string, dx: number): SceneSpecInput["objects"] {
  return OBJECTS.map((o) =>
    o.name.startsWith(prefix) ? { ...o, location: [o.location[0] + dx, o.location[1], o.location[2]] } : o,
  ) as SceneObject[];
}

let dir: string;
let pool: BlenderPool;
let truthFile: string;

async function mask(source: string): Promise<ObjectMask> {
  const reply = await pool.run({ body: programBody(source), mask: SIZE, fingerprint: false });
  expect(reply.error).toBeNull();
  return readMask(reply.mask!, SIZE);
}

function pixelsOf(m: ObjectMask, name: string): Set<number> {
  const id = [...m.names].find(([, n]) => n === name)![0];
  return new Set([...m.ids.keys()].filter((i) => m.ids[i] === id));
}

async function writeProgram(name: string, objects: SceneSpecInput["objects"]): Promise<string> {
  const file = path.join(dir, name, PROGRAM);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, program(objects));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-silhouette-"));
  pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
  const scene: BenchScene = {
    spec: SceneSpec.parse(spec(OBJECTS)),
    composites: [
      { name: "left", kind: "cube", role: "object", parts: ["left"] },
      { name: "mug", kind: "mug", role: "object", parts: ["mug_body", "mug_lid"] },
      { name: "right", kind: "sphere", role: "object", parts: ["right"] },
    ],
    ...SIZE,
  };
  const source = await readFile(await writeProgram("truth", OBJECTS), "utf8");
  const reply = await pool.run({ body: programBody(source) });
  expect(reply.error).toBeNull();
  truthFile = path.join(dir, "truth", TRUTH);
  const truth = buildTruth(scene, reply.objects, { suite: "test", id: "t", seed: 0, samples: 1 });
  await writeFile(truthFile, JSON.stringify(truth));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("object-index mask", () => {
  it("labels each object's own pixels, the ground as its own object and the sky as 0", async () => {
    const full = await mask(program(OBJECTS));
    expect([...full.names.values()].sort()).toEqual(["ground", "left", "mug_body", "mug_lid", "right"]);
    expect(full.ids.includes(0)).toBe(true);
    // Without the left cube, the other objects cover exactly the same pixels and the cube's
    // pixels show the ground or the sky behind it.
    const without = await mask(program(OBJECTS.filter((o) => o.name !== "left")));
    for (const name of ["mug_body", "mug_lid", "right"])
      expect(pixelsOf(without, name)).toEqual(pixelsOf(full, name));
    const cube = pixelsOf(full, "left");
    expect(cube.size).toBeGreaterThan(200);
    for (const i of cube) expect(["ground", undefined]).toContain(without.names.get(without.ids[i]!));
    // The cube's extent matches its projection: 0.6 m at 6 m through a 50 mm lens on a 36 mm sensor.
    const columns = new Set([...cube].map((i) => i % SIZE.width));
    expect(columns.size).toBeGreaterThan(0.8 * ((0.6 / 6) * (50 / 36) * SIZE.width));
    expect(columns.size).toBeLessThan(1.4 * ((0.6 / 6) * (50 / 36) * SIZE.width));
    // Same program, same mask.
    expect((await mask(program(OBJECTS))).ids).toEqual(full.ids);
  });

  it("refuses a view that would overwrite the mask", async () => {
    await expect(
      pool.run({
        body: programBody(program(OBJECTS)),
        mask: SIZE,
        render: { ...SIZE, views: [{ name: "mask" }] },
      }),
    ).rejects.toThrow(/mask\.png/);
  });
});

describe("silhouette IoU", () => {
  it("is exactly 1 for a program against itself, per thing and for the foreground", async () => {
    const cache = path.join(dir, "cache");
    const e = await programErrors3d(pool, truthFile, await writeProgram("self", OBJECTS), {
      cacheDir: cache,
    });
    expect(e.silhouetteIoU).toBe(1);
    expect(e.foregroundIoU).toBe(1);
    expect(e.pairs.map((p) => [p.truth, p.silhouette])).toEqual([
      ["left", 1],
      ["mug", 1],
      ["right", 1],
    ]);
    // The truth mask is cached: a second scoring renders only the reconstruction.
    const run = vi.spyOn(pool, "run");
    const again = await programErrors3d(pool, truthFile, path.join(dir, "self", PROGRAM), {
      cacheDir: cache,
    });
    expect(run).toHaveBeenCalledTimes(1);
    run.mockRestore();
    expect(again).toEqual(e);
    expect(
      JSON.parse(await readFile(path.join(cache, TRUTH_MASK_DIR, "legend.json"), "utf8")).legend,
    ).toHaveLength(5);
  });

  it("drops for a thing moved sideways by half its width and stays 1 for the others", async () => {
    const e = await programErrors3d(pool, truthFile, await writeProgram("moved", shifted("mug", 0.3)));
    const iou = Object.fromEntries(e.pairs.map((p) => [p.truth, p.silhouette]));
    expect(e.matched).toBe(3);
    expect(iou["left"]).toBe(1);
    expect(iou["right"]).toBe(1);
    expect(iou["mug"]).toBeGreaterThan(0.2);
    expect(iou["mug"]).toBeLessThan(0.6);
    expect(e.silhouetteIoU).toBeCloseTo((2 + iou["mug"]!) / 3, 12);
    expect(e.foregroundIoU).toBeLessThan(1);
  });

  it("counts a missing thing as 0", async () => {
    const e = await programErrors3d(
      pool,
      truthFile,
      await writeProgram(
        "missing",
        OBJECTS.filter((o) => o.name !== "right"),
      ),
    );
    expect(e.missed).toEqual(["right"]);
    expect(e.pairs.map((p) => p.silhouette)).toEqual([1, 1]);
    expect(e.silhouetteIoU).toBeCloseTo(2 / 3, 12);
    expect(e.foregroundIoU).toBeGreaterThan(0.5);
    expect(e.foregroundIoU).toBeLessThan(1);
  });
});

describe("bench run with silhouettes", () => {
  it("reports sil IoU and fg IoU per scene, in results and in the summary", async () => {
    const bench = path.join(dir, "suite");
    const out = path.join(dir, "flat");
    const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((t: string) => void printed.push(t));
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((t) => printed.push(String(t)) > 0);
    try {
      const seig = (...args: string[]) => main(["node", "seig", "bench", ...args]);
      const one = ["--concurrency", "1"];
      expect(
        await seig("generate", "--suite", "clevr", "--n", "1", "--samples", "2", "-o", bench, ...one),
      ).toBe(0);
      expect(await seig("run", bench, "--method", "flat", "-o", out, ...one)).toBe(0);
      expect(await seig("summary", out)).toBe(0);
    } finally {
      quiet.mockRestore();
      log.mockRestore();
      stdout.mockRestore();
    }
    const results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8"));
    // The flat method builds no object: every truth thing is missed and nothing covers them.
    expect(results.rows[0].values.silIoU).toBe(0);
    expect(results.rows[0].values.fgIoU).toBe(0);
    const score = JSON.parse(await readFile(path.join(out, "scenes", "clevr_000", "score.json"), "utf8"));
    expect(score.errors3d.silhouetteIoU).toBe(0);
    expect((await readFile(path.join(out, "results.csv"), "utf8")).split("\n")[0]).toContain("silIoU,fgIoU");
    expect(printed.join("")).toMatch(/sil IoU ↑ \| fg IoU ↑/);
  }, 300_000);
});
