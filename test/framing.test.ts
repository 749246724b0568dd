/**
 * A program frames the scene as its photo does wherever it goes: the run's program.py carries
 * the photo's size, `render`/`views` default to it, the standalone program renders at it, and
 * the exported .blend and glTF camera have its aspect ratio and the field of view Blender's
 * camera has at that aspect. Real Blender throughout, at tiny sizes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { NodeIO } from "@gltf-transform/core";
import { KHRONOS_EXTENSIONS } from "@gltf-transform/extensions";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportProgram } from "../src/apps/export.ts";
import { findBlender } from "../src/blender/find.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { rgbImage } from "../src/image/types.ts";
import { parseProgram } from "../src/program/parse.ts";
import { programResolution, RESOLUTION_KEY, withResolution } from "../src/program/resolution.ts";
import { renderFinal } from "../src/run/final-render.ts";
import { createRunFolder } from "../src/run/folder.ts";
import { runSeig } from "./support/run-cli.ts";

const run = promisify(execFile);
const example = await readFile(new URL("../examples/tabletop/program.py", import.meta.url), "utf8");
let pool: BlenderPool;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "seig-framing-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [scratch] });
});
afterAll(async () => {
  await pool?.close();
});

/** The vertical field of view of a camera whose sensor is fitted horizontally, at width × height. */
function verticalFov(source: string, width: number, height: number): number {
  const params = parseProgram(source).params;
  const horizontal = 2 * Math.atan(Number(params["camera.sensor_mm"]) / 2 / Number(params["camera.lens_mm"]));
  return 2 * Math.atan((Math.tan(horizontal / 2) * height) / width);
}

async function pngSize(file: string): Promise<[number, number]> {
  const { width, height } = await sharp(file).metadata();
  return [width!, height!];
}

/** Resolution, engine and samples a saved .blend opens with, read by Blender itself. */
async function blendSettings(file: string): Promise<string> {
  const blender = await findBlender();
  const expr =
    "import bpy; s = bpy.context.scene; print('SETTINGS', s.render.resolution_x, s.render.resolution_y, s.render.engine)";
  const { stdout } = await run(blender.path, ["-b", "--factory-startup", file, "--python-expr", expr]);
  return /SETTINGS (.*)/.exec(stdout)![1]!;
}

describe("export keeps the photo's frame", () => {
  for (const [width, height] of [
    [320, 240],
    [240, 320],
  ] as const) {
    it(`glTF camera and .blend of a ${width}×${height} program`, async () => {
      const source = withResolution(example, { width, height });
      const glb = path.join(scratch, `${width}x${height}.glb`);
      const blend = path.join(scratch, `${width}x${height}.blend`);
      await exportProgram(pool, { source, glb, blend });
      const doc = await new NodeIO().registerExtensions(KHRONOS_EXTENSIONS).read(glb);
      const [camera] = doc.getRoot().listCameras();
      expect(camera!.getAspectRatio()).toBeCloseTo(width / height, 6);
      expect(camera!.getYFov()).toBeCloseTo(verticalFov(source, width, height), 5);
      expect(await blendSettings(blend)).toBe(`${width} ${height} CYCLES`);
    }, 60_000);
  }

  it("--res overrides the program's frame, for programs from before it was recorded", async () => {
    const legacy = example.replace(/,\n\s*"render\.resolution": \[\d+, \d+\]/, "");
    expect(programResolution(legacy)).toBeNull();
    const glb = path.join(scratch, "legacy.glb");
    await exportProgram(pool, { source: legacy, glb, resolution: { width: 200, height: 100 } });
    const doc = await new NodeIO().registerExtensions(KHRONOS_EXTENSIONS).read(glb);
    expect(doc.getRoot().listCameras()[0]!.getAspectRatio()).toBeCloseTo(2, 6);
  }, 60_000);
});

describe("a run's program carries its photo's size", () => {
  it("renderFinal writes program.py with render.resolution and a scene.blend at that size", async () => {
    const folder = await createRunFolder(path.join(scratch, "run"));
    const target = rgbImage(40, 30, new Float32Array(40 * 30 * 3).fill(0.5), "target.png");
    const source = example.replace(/,\n\s*"render\.resolution": \[\d+, \d+\]/, "");
    await renderFinal(pool, folder, source, target, {
      samples: 1,
      seed: 0,
      semanticMetrics: false,
      methodLabel: "offline method",
    });
    const written = await readFile(folder.program, "utf8");
    expect(parseProgram(written).params[RESOLUTION_KEY]).toEqual([40, 30]);
    expect(await pngSize(folder.final)).toEqual([40, 30]);
    expect(await blendSettings(path.join(folder.dir, "scene.blend"))).toBe("40 30 CYCLES");
  }, 60_000);
});

describe("render, views and the standalone program default to the program's size", () => {
  it("seig render and seig views without --res", async () => {
    const file = path.join(scratch, "small.py");
    await writeFile(file, withResolution(example, { width: 36, height: 20 }));
    const out = path.join(scratch, "render-out");
    const rendered = await runSeig(["render", file, "-o", out, "--samples", "1", "--concurrency", "1"]);
    expect(rendered.code).toBe(0);
    expect(await pngSize(path.join(out, "render.png"))).toEqual([36, 20]);
    const views = path.join(scratch, "views-out");
    const orbit = await runSeig([
      "views",
      file,
      "--orbit",
      "2",
      "--samples",
      "1",
      "-o",
      views,
      "--concurrency",
      "1",
    ]);
    expect(orbit.code).toBe(0);
    expect(await pngSize(path.join(views, "orbit_01.png"))).toEqual([36, 20]);
  }, 120_000);

  it("blender -b -P program.py -- --render out.png renders at render.resolution", async () => {
    const file = path.join(scratch, "standalone.py");
    await writeFile(file, withResolution(example, { width: 30, height: 18 }));
    const out = path.join(scratch, "standalone.png");
    const blender = await findBlender();
    await run(blender.path, ["-b", "--factory-startup", "-P", file, "--", "--render", out, "--samples", "1"]);
    expect(await pngSize(out)).toEqual([30, 18]);
  }, 60_000);
});
