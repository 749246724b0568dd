/**
 * The search's fast path (BlenderPool.runBatch, python/batch.py): one child loads a program
 * once and builds and renders it per PARAMS set. Every result must equal the full path's (a
 * fresh child per set), pixel for pixel; a program whose state a build changes falls back to
 * the full path; a crash mid-batch costs only the set that crashed.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../src/blender/pool.ts";
import type { JobReply } from "../src/blender/protocol.ts";
import { decodeBmp, renderPng } from "../src/image/bmp.ts";
import { rgbImage } from "../src/image/types.ts";
import { batchesOf, loadRender, RenderEvaluator } from "../src/offline/evaluator.ts";
import { programBody } from "../src/program/assemble.ts";
import type { Params } from "../src/program/parse.ts";
import { sampleProgram } from "./program-fixture.ts";

const RENDER = { width: 40, height: 30, samples: 4, seed: 3 };
let pool: BlenderPool;
let dir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-fast-path-"));
  pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
});

afterAll(async () => {
  await pool?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Decoded pixels (a batch hands back BMP, a single job PNG; both must decode to the same values). */
async function pixels(reply: JobReply): Promise<Float32Array> {
  expect(reply.error).toBeNull();
  return (await loadRender(reply.images[0]!.path)).data;
}

function batch(body: string, paramSets: Record<string, unknown>[], skipScreen = false) {
  const outDirs = paramSets.map(() => path.join(dir, `b${++runs}`));
  return pool.runBatch({ body, paramSets, outDirs, render: RENDER, skipScreen, imageFormat: "BMP" });
}

/** The full path: a fresh child per set. */
function alone(body: string, params: Record<string, unknown>, skipScreen = false) {
  const outDir = path.join(dir, `s${++runs}`);
  return pool.run({ body, params, outDir, render: RENDER, fingerprint: false, skipScreen });
}

async function expectSamePixels(body: string, sets: Record<string, unknown>[], batched: JobReply[]) {
  expect(batched).toHaveLength(sets.length);
  for (const [i, params] of sets.entries()) {
    expect(await pixels(batched[i]!), `set ${i}`).toEqual(await pixels(await alone(body, params)));
  }
}

const SETS: Record<string, Params> = {
  start: {},
  geometry: { "mug.size": [0.7, 0.5, 0.9], "ball.size": [0.2, 0.2, 0.2] },
  material: { "mug.color": [0.1, 0.8, 0.2], "ball.metallic": 0, "ground.roughness": 0.1 },
  composition: { "mug.location": [-0.3, 0.2, 0.25], "camera.location": [3.5, -2, 2.5] },
  lighting: { "sun.elevation_deg": 15, "world.color": [0.9, 0.4, 0.2], "render.exposure": 0.8 },
};

describe("fast path", () => {
  it("renders one image per PARAMS set, in order, identical to a fresh child per set (every stage)", async () => {
    // The batch's BMPs against single jobs' PNGs: the raw format carries the PNG's exact pixels.
    const body = programBody(sampleProgram());
    const sets = Object.values(SETS);
    const batched = await batch(body, sets);
    expect(batched.map((r) => r.fallbackFrom)).toEqual(sets.map(() => null));
    await expectSamePixels(body, sets, batched);
    // Each stage's change shows: the images differ from the first and from each other.
    const distinct = new Set(await Promise.all(batched.map(async (r) => (await pixels(r)).join(","))));
    expect(distinct.size).toBe(sets.length);
    expect(batched.every((r) => r.images[0]!.path.endsWith(".bmp"))).toBe(true);
  });

  it("hands back PNG or BMP with the same pixels, and a BMP becomes a lossless PNG", async () => {
    const body = programBody(sampleProgram());
    const outDirs = [path.join(dir, "png")];
    const png = await pool.runBatch({ body, paramSets: [SETS["lighting"]!], outDirs, render: RENDER });
    const [bmp] = await batch(body, [SETS["lighting"]!]);
    expect(png[0]!.images[0]!.path.endsWith(".png")).toBe(true);
    expect(await pixels(bmp!)).toEqual(await pixels(png[0]!));
    const converted = await renderPng(await readFile(bmp!.images[0]!.path), "render.bmp");
    expect(await sharp(converted).raw().toBuffer()).toEqual(
      await sharp(png[0]!.images[0]!.path).raw().toBuffer(),
    );
    const bytes = await readFile(bmp!.images[0]!.path);
    expect(() => decodeBmp(bytes.subarray(0, bytes.length - 7), "cut.bmp")).toThrow(/truncated/);
  });

  it("falls back to the full path when a build changes module-level state", async () => {
    // A module-level counter read by a section: a second build in the same child would place the mug elsewhere.
    const body = programBody(sampleProgram())
      .replace("PARAMS = {", "counter = [0]\nPARAMS = {")
      .replace(
        "def compose(P):\n",
        "def compose(P):\n    counter[0] += 1\n    P['mug.location'] = [counter[0] * 0.4, 0, 0.25]\n",
      );
    const sets = [SETS["start"]!, SETS["material"]!, SETS["lighting"]!];
    const batched = await batch(body, sets);
    expect(batched.map((r) => r.fallbackFrom)).toEqual([null, 1, 2]);
    expect(batched[1]!.fallbackReason).toMatch(/globals/);
    await expectSamePixels(body, sets, batched);
  });

  it("puts back scene settings a build changed, and falls back on data it cannot put back", async () => {
    // Dithering is a setting the footer leaves alone: set by the first set only, it must be
    // back to its default for the second. A node group made at module level and renamed by a
    // build cannot be put back: the third set falls back.
    const body = programBody(sampleProgram())
      .replace("PARAMS = {", 'g = bpy.data.node_groups.new("g", "ShaderNodeTree")\nPARAMS = {')
      .replace(
        "def build_lighting(P):\n",
        "def build_lighting(P):\n    if P['sun.strength'] > 2:\n        bpy.context.scene.render.dither_intensity = 0\n    if P['sun.strength'] > 4:\n        g.name = 'h'\n",
      );
    const sets = [SETS["start"]!, { "sun.strength": 1 }, { "sun.strength": 5 }, SETS["material"]!];
    const batched = await batch(body, sets);
    expect(batched.map((r) => r.fallbackFrom)).toEqual([null, null, null, 3]);
    expect(batched[3]!.fallbackReason).toMatch(/data/);
    await expectSamePixels(body, sets, batched);
  });
});

describe("streamed candidates", () => {
  it("hands each candidate over, in order, while the batch still renders; the batch returns the same replies", async () => {
    const body = programBody(sampleProgram());
    const sets = Object.values(SETS);
    const handed: { index: number; reply: JobReply; at: number }[] = [];
    const outDirs = sets.map(() => path.join(dir, `b${++runs}`));
    const batched = await pool.runBatch({
      body,
      paramSets: sets,
      outDirs,
      render: RENDER,
      imageFormat: "BMP",
      onResult: (index, reply) => handed.push({ index, reply, at: performance.now() }),
    });
    const done = performance.now();
    expect(handed.map((h) => h.index)).toEqual(sets.map((_, i) => i));
    for (const h of handed) expect(batched[h.index]).toBe(h.reply);
    // The first candidate was handed over before the batch's last render had even finished.
    const lastRender = (batched.at(-1)!.renderSeconds ?? 0) * 1000;
    expect(handed[0]!.at).toBeLessThan(done - lastRender);
    // Its image was complete when handed over: the same pixels the full path gives.
    expect(await pixels(handed[0]!.reply)).toEqual(await pixels(await alone(body, sets[0]!)));
  });

  it("a worker lost mid-batch fails every set, those handed over early too (results never depend on timing)", async () => {
    const body = programBody(sampleProgram())
      .replace("PARAMS = {", "import os, signal\nPARAMS = {")
      .replace(
        "def compose(P):\n",
        "def compose(P):\n    if P.get('crash'):\n        os.kill(os.getppid(), signal.SIGKILL)\n",
      );
    const handed: number[] = [];
    const outDirs = [0, 1, 2].map(() => path.join(dir, `b${++runs}`));
    const batched = await pool.runBatch({
      body,
      paramSets: [{}, {}, { crash: true }],
      outDirs,
      render: RENDER,
      imageFormat: "BMP",
      skipScreen: true,
      onResult: (index) => handed.push(index),
    });
    expect(batched.map((r) => r.ok)).toEqual([false, false, false]);
    expect(handed.length).toBeLessThanOrEqual(2);
  });
});

describe("batches and crashes", () => {
  const crashy = (kind: string) => `if P.get("crash") == "${kind}":\n`;
  const body = programBody(sampleProgram())
    .replace("PARAMS = {", "import ctypes, os, signal\nPARAMS = {")
    .replace(
      "def compose(P):\n",
      `def compose(P):\n    ${crashy("raise")}        raise ValueError("boom")\n    ${crashy("segfault")}        ctypes.string_at(0)\n    ${crashy("zygote")}        os.kill(os.getppid(), signal.SIGKILL)\n`,
    );

  it("reports a crash per candidate: earlier sets keep their images, later ones render alone", async () => {
    const sets = [{}, { crash: "raise" }, SETS["lighting"]!, { crash: "segfault" }, SETS["material"]!];
    const batched = await batch(body, sets, true);
    expect(batched.map((r) => r.ok)).toEqual([true, false, true, false, true]);
    expect(batched[1]!.error?.kind).toBe("runtime");
    expect(batched[1]!.error?.message).toMatch(/ValueError: boom/);
    expect(batched[3]!.error?.kind).toBe("crash");
    expect(batched.map((r) => r.fallbackFrom)).toEqual([null, null, null, null, 4]);
    for (const i of [0, 2, 4])
      expect(await pixels(batched[i]!)).toEqual(await pixels(await alone(body, sets[i]!, true)));
  });

  it("replaces the worker when a set kills it, and the pool goes on", async () => {
    const batched = await batch(body, [{}, { crash: "zygote" }], true);
    expect(batched.every((r) => !r.ok && /crashed|restarted/.test(r.error?.message ?? ""))).toBe(true);
    const after = await batch(body, [{}, SETS["geometry"]!], true);
    expect(after.map((r) => r.ok)).toEqual([true, true]);
  });
});

describe("the evaluator's batches", () => {
  const bodyA = programBody(sampleProgram());
  const bodyB = bodyA.replace(
    "def build_lighting(P):\n",
    "def build_lighting(P):\n    P['sun.strength'] = 1.5\n",
  );

  it("never puts two programs into one batch, and spreads a generation over the workers", () => {
    const bodies = [bodyA, bodyA, bodyB, bodyA, bodyB];
    const chunks = batchesOf(
      bodies.map((body) => ({ body, params: {} })),
      2,
    );
    expect(chunks).toEqual([[0, 1], [3], [2], [4]]);
    for (const chunk of chunks) expect(new Set(chunk.map((i) => bodies[i])).size).toBe(1);
    const many = batchesOf(
      Array.from({ length: 600 }, () => ({ body: bodyA, params: {} })),
      2,
    );
    expect(many.map((c) => c.length)).toEqual([200, 200, 200]);
  });

  it("scores candidates of two programs exactly as the full path does, in their order", async () => {
    const candidates = [
      { body: bodyA, params: SETS["geometry"]! },
      { body: bodyB, params: SETS["geometry"]! },
      { body: bodyA, params: SETS["lighting"]! },
      { body: bodyB, params: {} },
      { body: bodyA, params: SETS["material"]! },
    ];
    const level = {
      name: "test",
      samples: RENDER.samples,
      target: rgbImage(
        RENDER.width,
        RENDER.height,
        new Float32Array(RENDER.width * RENDER.height * 3).fill(0.4),
        "grey",
      ),
    };
    const score = (fullPath: boolean) =>
      new RenderEvaluator(pool, path.join(dir, `eval-${fullPath}`), RENDER.seed, { fullPath }).score(
        candidates,
        level,
      );
    const [full, fast] = [await score(true), await score(false)];
    expect(fast.map((s) => s.loss)).toEqual(full.map((s) => s.loss));
    expect(new Set(full.map((s) => s.loss)).size).toBe(candidates.length);
  });
});
