/**
 * The object, topdown and closeup suites rendered by Blender: what the targets show (a white
 * background around an object that stays inside the frame, a desk seen from above with
 * every thing in frame, a subject cut by the frame) and that truth.json groups the parts.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraFrame, pointInCamera, project } from "../src/bench/camera-space.ts";
import { generateSuite, type SuiteName, sceneId } from "../src/bench/generate.ts";
import { orientedBox, type Vec3 } from "../src/bench/oriented-box.ts";
import { readTruth, type Truth } from "../src/bench/truth.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { loadImage } from "../src/image/load.ts";
import type { RgbImage } from "../src/image/types.ts";

const N = 3;
let dir: string;
let pool: BlenderPool;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-suites-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

async function generated(suite: SuiteName, n = N, name: string = suite) {
  const outDir = path.join(dir, name);
  const manifest = await generateSuite(pool, { suite, n, seed: 3, outDir, samples: 4 });
  const scenes = await Promise.all(
    manifest.scenes.map(async ({ id }) => ({
      id,
      truth: await readTruth(path.join(outDir, id, "truth.json")),
      image: await loadImage(path.join(outDir, id, "target.png"), { maxSide: 0 }),
    })),
  );
  return { outDir, manifest, scenes };
}

/** Pixels unlike `background` (sRGB in [0, 1]) by more than a few code values. */
function mask(img: RgbImage, background: Vec3): (x: number, y: number) => boolean {
  return (x, y) => {
    const i = 3 * (y * img.width + x);
    return [0, 1, 2].some((c) => Math.abs(img.data[i + c]! - background[c]!) > 8 / 255);
  };
}

/** How much of each frame edge (top, bottom, left, right) the mask covers. */
function edgeCover(img: RgbImage, inside: (x: number, y: number) => boolean): number[] {
  const share = (xs: number[], ys: number[]) =>
    xs.flatMap((x) => ys.map((y) => inside(x, y))).filter(Boolean).length / (xs.length * ys.length);
  const cols = Array.from({ length: img.width }, (_, x) => x);
  const rows = Array.from({ length: img.height }, (_, y) => y);
  return [share(cols, [0]), share(cols, [img.height - 1]), share([0], rows), share([img.width - 1], rows)];
}

function srgb(linear: number): number {
  const v = linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, v) * 255) / 255;
}

/** Every part belongs to the truth object whose name prefixes it, and each object lists its parts. */
function expectGrouped(truth: Truth) {
  for (const o of truth.objects) {
    expect(o.parts.length).toBeGreaterThan(0);
    for (const name of o.parts) {
      expect(name === o.name || name.startsWith(`${o.name}_`)).toBe(true);
      expect(truth.parts.find((p) => p.name === name)?.composite).toBe(o.name);
    }
  }
  expect(truth.objects.flatMap((o) => o.parts).sort()).toEqual(truth.parts.map((p) => p.name).sort());
}

describe("generated suites (Blender)", () => {
  it("object: one object on white, inside the frame, filling a fair share of it", async () => {
    const { scenes, manifest } = await generated("object");
    for (const { truth, image } of scenes) {
      expect([image.width, image.height]).toEqual([400, 400]);
      expect(truth.ground).toBeNull();
      expect(truth.objects).toHaveLength(1);
      expect(truth.objects[0]!.role).toBe("object");
      expectGrouped(truth);
      const inside = mask(image, [1, 1, 1]);
      for (const [x, y] of [
        [0, 0],
        [399, 0],
        [0, 399],
        [399, 399],
      ] as const) {
        expect(inside(x, y)).toBe(false);
      }
      expect(edgeCover(image, inside)).toEqual([0, 0, 0, 0]);
      const xs: number[] = [];
      const ys: number[] = [];
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          if (inside(x, y)) {
            xs.push(x);
            ys.push(y);
          }
        }
      }
      const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 400;
      expect(span).toBeGreaterThan(0.35);
      expect(span).toBeLessThan(0.85);
    }
    expect(manifest.scenes.every((s) => s.objects === 1)).toBe(true);
  });

  it("topdown: the camera looks down, every thing lies on the desk and is in frame", async () => {
    const { scenes } = await generated("topdown");
    for (const { truth, image } of scenes) {
      expect([image.width, image.height]).toEqual([320, 240]);
      expect(truth.ground).not.toBeNull();
      expectGrouped(truth);
      const m = truth.cameraMatrixWorld;
      // The camera looks along its −Z axis: the third column of its rotation, negated.
      expect(-m[10]!).toBeLessThan(-0.94);
      const frame = cameraFrame({ matrixWorld: m, ...truth.camera });
      const parts = new Map(truth.parts.map((p) => [p.name, p]));
      for (const o of truth.objects) {
        const own = o.parts.map((n) => parts.get(n)!);
        expect(Math.min(...own.map((p) => p.bboxMin[2]))).toBeCloseTo(0, 3);
        for (const p of own) {
          // Face centres of a part's own box lie on the primitive, so they must be in frame.
          const box = orientedBox(p.matrixWorld, p.bboxMin, p.bboxMax);
          for (let axis = 0; axis < 3; axis++) {
            for (const s of [-1, 1]) {
              const point = box.center.map((c, r) => c + s * box.axes[r]![axis]! * box.half[axis]!) as Vec3;
              const [x, y] = project(frame, pointInCamera(frame, point))!;
              expect(Math.abs(x)).toBeLessThan(0.5);
              expect(Math.abs(y)).toBeLessThan((0.5 * truth.height) / truth.width);
            }
          }
        }
      }
    }
  });

  it("closeup: the subject's mask covers at least two frame edges", async () => {
    const { scenes } = await generated("closeup");
    for (const { truth, image } of scenes) {
      expect(truth.ground).toBeNull();
      expect(truth.objects).toHaveLength(1);
      expectGrouped(truth);
      const background = truth.world.color.map((c) => srgb(c * truth.world.strength)) as Vec3;
      const cover = edgeCover(image, mask(image, background));
      expect(cover.filter((c) => c > 0.05).length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(["object", "topdown", "closeup"] as const)(
    "%s: the same seed gives the same files, whatever the scene count",
    async (suite) => {
      const [a, b] = [await generated(suite, 2, `${suite}-a`), await generated(suite, 1, `${suite}-b`)];
      expect(b.manifest.scenes[0]).toEqual(a.manifest.scenes[0]);
      const id = sceneId(suite, 0);
      for (const file of ["program.py", "truth.json"]) {
        const [fa, fb] = await Promise.all([a.outDir, b.outDir].map((d) => readFile(path.join(d, id, file))));
        expect(fb!.equals(fa!)).toBe(true);
      }
      const [pa, pb] = [a.scenes[0]!.image, b.scenes[0]!.image];
      expect(Buffer.from(pb.data.buffer).equals(Buffer.from(pa.data.buffer))).toBe(true);
    },
  );
});
