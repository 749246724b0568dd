/**
 * The 3D errors with real Blender stats: a benchmark scene rebuilt with another world origin,
 * a uniform scale and a yawed world (camera and sun moved along) renders the same image and
 * must score (near) zero 3D error against the original's truth.json.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareScenes } from "../src/bench/errors3d.ts";
import { type SuiteName, suiteProgram } from "../src/bench/generate.ts";
import { measuredFromStats } from "../src/bench/measured-scene.ts";
import { buildTruth, truthScene } from "../src/bench/truth.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import type { JobReply } from "../src/blender/protocol.ts";
import { loadImage } from "../src/image/load.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import type { SceneSpec } from "../src/program/scene-spec.ts";

type Vec3 = [number, number, number];

const YAW_DEG = 117;
const SCALE = 2.5;
// No vertical shift: emitProgram's ground plane stays at z = 0.
const SHIFT: Vec3 = [-9.5, 4, 0];

/** x → SCALE·Rz(YAW)·x + SHIFT. */
function moved(p: readonly number[]): Vec3 {
  const a = (YAW_DEG * Math.PI) / 180;
  const [x, y, z] = p as Vec3;
  return [
    SCALE * (Math.cos(a) * x - Math.sin(a) * y) + SHIFT[0],
    SCALE * (Math.sin(a) * x + Math.cos(a) * y) + SHIFT[1],
    SCALE * z + SHIFT[2],
  ];
}

/** The same scene in the moved world: a yaw before Blender's XYZ Euler only adds to its Z angle. */
function movedSpec(spec: SceneSpec): SceneSpec {
  return {
    ...spec,
    objects: spec.objects.map((o) => ({
      ...o,
      size: o.size.map((v) => v * SCALE) as Vec3,
      location: moved(o.location),
      rotationDeg: [o.rotationDeg[0], o.rotationDeg[1], o.rotationDeg[2] + YAW_DEG],
    })),
    camera: { ...spec.camera, location: moved(spec.camera.location), lookAt: moved(spec.camera.lookAt) },
    sun: { ...spec.sun, azimuthDeg: spec.sun.azimuthDeg + YAW_DEG },
    // The ground plane is centred on the world origin: keep it under the moved scene.
    ...(spec.ground ? { ground: { ...spec.ground, size: spec.ground.size * SCALE * 3 } } : {}),
  };
}

describe("3D errors with real Blender stats", () => {
  let dir: string;
  let pool: BlenderPool;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-inv-"));
    pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
  });
  afterAll(async () => {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  const build = async (source: string, name: string): Promise<JobReply> => {
    const reply = await pool.run({
      body: programBody(source),
      outDir: path.join(dir, name),
      render: { width: 96, height: 72, samples: 4, seed: 0, views: [{ name: "view" }] },
    });
    expect(reply.error).toBeNull();
    return reply;
  };

  it.each([
    ["clevr", 3],
    ["tabletop", 1],
    // No ground: nothing in truth or the 3D errors may lean on one.
    ["object", 2],
  ] as const)(
    "%s scene %i: zero error for itself and for the moved, scaled, yawed world",
    async (suite, index) => {
      const { scene, source } = suiteProgram(suite as SuiteName, 0, index);
      const moved = movedSpec(scene.spec);
      const [original, rebuilt] = await Promise.all([
        build(source, `${suite}-a`),
        build(emitProgram(moved), `${suite}-b`),
      ]);
      // The moved world really is elsewhere, yet the camera sees the same picture.
      expect(
        Math.hypot(...moved.camera.location.map((v, i) => v - scene.spec.camera.location[i]!)),
      ).toBeGreaterThan(5);
      const [a, b] = await Promise.all(
        [original, rebuilt].map((r) => loadImage(r.images[0]!.path, { maxSide: 0 })),
      );
      expect(psnrFromMse(mse(a!, b!))).toBeGreaterThan(30);

      const truth = truthScene(buildTruth(scene, original.objects, { suite, id: "x", seed: 0, samples: 4 }));
      const self = compareScenes(truth, measuredFromStats(original.objects, "camera")!);
      expect(self.recall).toBe(1);
      expect(self.positionError).toBe(0);
      expect(self.sizeError).toBe(0);

      const e = compareScenes(truth, measuredFromStats(rebuilt.objects, "camera")!);
      expect(e.countCorrect).toBe(true);
      expect(e.recall).toBe(1);
      expect(e.precision).toBe(1);
      expect(e.scale.predicted / e.scale.truth).toBeCloseTo(SCALE, 3);
      expect(e.positionError).toBeLessThan(1e-3);
      expect(e.imageError).toBeLessThan(1e-3);
      expect(e.sizeError).toBeLessThan(1e-2);
      expect(e.colorError).toBe(0);
      expect(e.materialAccuracy).toBe(1);
      // Truth's classes against the classes Blender's meshes of the moved world give.
      expect(e.shapeAccuracy).toBe(1);
    },
  );
});
