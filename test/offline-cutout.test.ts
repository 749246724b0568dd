/**
 * Regions no primitive explains become extrusions of their outlines facing the camera
 * (outline.ts, cutout.ts): the traced outline encloses the region, the extrusion's front
 * face projects back onto it, the scaffold uses one only in a scene without ground, and —
 * rendered by real Blender — its silhouette is the region's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../src/blender/pool.ts";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { initialCamera, type PinholeCamera, projectPoint } from "../src/offline/analysis/camera.ts";
import { colourParts } from "../src/offline/analysis/colour-parts.ts";
import { cutoutObject } from "../src/offline/analysis/cutout.ts";
import { regionOutline } from "../src/offline/analysis/outline.ts";
import { objectsFromSegments } from "../src/offline/analysis/scaffold.ts";
import { segmentOf } from "../src/offline/analysis/segment.ts";
import { rotate } from "../src/offline/analysis/silhouette.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { type SceneObject, SceneSpec } from "../src/program/scene-spec.ts";

const W = 96;
const H = 72;

/** An L: a block with its top-right quarter cut away, off the image centre. */
function lPixels(x0: number, y0: number, size: number): number[] {
  const out: number[] = [];
  for (let y = y0; y < y0 + size; y++)
    for (let x = x0; x < x0 + size; x++) if (!(x >= x0 + size / 2 && y < y0 + size / 2)) out.push(y * W + x);
  return out;
}

function polygonArea(points: readonly [number, number][]): number {
  return Math.abs(
    points.reduce((sum, [x, y], i) => {
      const [nx, ny] = points[(i + 1) % points.length]!;
      return sum + x * ny - nx * y;
    }, 0) / 2,
  );
}

/** The extrusion's front face (local z = +0.5, towards the camera) in pixels. */
function frontFace(cam: PinholeCamera, o: SceneObject): [number, number][] {
  return o.outline!.map(([x, y]) => {
    const r = rotate([x * o.size[0], y * o.size[1], 0.5 * o.size[2]], o.rotationDeg);
    return projectPoint(cam, [o.location[0] + r[0], o.location[1] + r[1], o.location[2] + r[2]])!;
  });
}

const BASE = { name: "extrusion1", color: [0, 0, 0] as [number, number, number], roughness: 1, metallic: 0 };

describe("a region's outline", () => {
  it("encloses the region's pixels, its concave corner kept", () => {
    const pixels = lPixels(20, 10, 40);
    const outline = regionOutline(pixels, W)!;
    // Marching squares cuts each corner by an eighth of a pixel; simplifying moves edges by at most a third.
    expect(Math.abs(polygonArea(outline) - pixels.length) / pixels.length).toBeLessThan(0.03);
    expect(outline.some(([x, y]) => Math.abs(x - 40) < 1 && Math.abs(y - 30) < 1)).toBe(true);
  });

  it("keeps to the extrusion's point limit for a ragged region, and has none for no pixels", () => {
    const ragged: number[] = [];
    for (let y = 5; y < 65; y++) for (let x = 5; x < 5 + 40 + ((y * 7) % 13); x++) ragged.push(y * W + x);
    expect(regionOutline(ragged, W)!.length).toBeLessThanOrEqual(64);
    expect(regionOutline([], W)).toBeNull();
  });
});

describe("a region's parts of one colour", () => {
  /** A W × H image coloured by `colourAt(x, y)` and the pixels of the block it is asked about. */
  function block(colourAt: (x: number, y: number) => [number, number, number]) {
    const data = new Float32Array(W * H * 3);
    const pixels: number[] = [];
    for (let y = 10; y < 50; y++)
      for (let x = 10; x < 70; x++) {
        data.set(colourAt(x, y), (y * W + x) * 3);
        pixels.push(y * W + x);
      }
    return { img: rgbImage(W, H, data, "block"), pixels };
  }

  it("cuts a purple hat from a dark head, each part whole", () => {
    const { img, pixels } = block((_, y) => (y < 22 ? [0.5, 0.15, 0.6] : [0.12, 0.14, 0.2]));
    const parts = colourParts(img, pixels).sort((a, b) => a.length - b.length);
    expect(parts.map((p) => p.length)).toEqual([12 * 60, 28 * 60]);
  });

  it("keeps a shaded surface of one colour whole", () => {
    const { img, pixels } = block((x) => {
      const shade = 0.35 + (0.15 * (x - 10)) / 60;
      return [shade, shade * 0.5, shade * 0.3];
    });
    expect(colourParts(img, pixels)).toHaveLength(1);
  });
});

describe("an extrusion facing the camera", () => {
  it("projects its front face back onto the outline, for a steep camera and an off-centre region", () => {
    const cam = initialCamera(55, W, H, 35);
    const outline = regionOutline(lPixels(50, 30, 30), W)!;
    const o = SceneSpec.shape.objects.element.parse(cutoutObject(cam, outline, 9, BASE));
    const projected = frontFace(cam, o);
    for (const [k, [x, y]] of projected.entries()) {
      expect(x).toBeCloseTo(outline[k]![0], 6);
      expect(y).toBeCloseTo(outline[k]![1], 6);
    }
    expect(o.size[2]).toBeLessThan(Math.min(o.size[0], o.size[1]));
  });
});

describe("the scaffold's objects for regions", () => {
  const cam = initialCamera(30, W, H, 50);
  const img = rgbImage(W, H, new Float32Array(W * H * 3).fill(0.5), "grey");
  const segment = segmentOf(img, lPixels(30, 20, 36));

  it("uses an extrusion for a region no primitive covers, only in a scene without ground", () => {
    const [floating] = objectsFromSegments(img, [segment], cam, { outlines: true });
    expect(floating!.object.shape).toBe("extrusion");
    const [ground] = objectsFromSegments(img, [segment], cam);
    expect(ground!.object.shape).not.toBe("extrusion");
  });

  it("keeps a primitive for a region one covers", () => {
    const block: number[] = [];
    for (let y = 20; y < 50; y++) for (let x = 30; x < 60; x++) block.push(y * W + x);
    const [found] = objectsFromSegments(img, [segmentOf(img, block)], cam, { outlines: true });
    expect(found!.object.shape).not.toBe("extrusion");
  });
});

describe("an extrusion facing the camera, in Blender", () => {
  let pool: BlenderPool;
  let dir: string;
  const cam = initialCamera(40, W, H, 35);
  const pixels = lPixels(40, 14, 40);
  let rendered: Set<number>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-cutout-"));
    pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
    const spec = {
      objects: [cutoutObject(cam, regionOutline(pixels, W)!, 10, BASE)],
      camera: { location: cam.location, lookAt: cam.lookAt, lensMm: cam.lensMm, sensorMm: cam.sensorMm },
      sun: { elevationDeg: 40, azimuthDeg: 30, strength: 0 },
      world: { color: [1, 1, 1] as [number, number, number] },
    };
    const reply = await pool.run({
      body: programBody(emitProgram(spec)),
      outDir: dir,
      render: { width: W, height: H, samples: 4 },
    });
    expect(reply.error).toBeNull();
    const img = await loadImage(reply.images[0]!.path);
    rendered = new Set();
    for (let i = 0; i < W * H; i++) if (img.data[i * 3]! < 0.5) rendered.add(i);
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders the region's silhouette", () => {
    const region = new Set(pixels);
    const inter = [...rendered].filter((i) => region.has(i)).length;
    const iou = inter / (rendered.size + region.size - inter);
    expect(iou).toBeGreaterThan(0.93);
  });
});
