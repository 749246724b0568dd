/**
 * Scene kinds end to end (real Blender): the offline method detects the kind of a generated
 * ground, object and close-up target, finds the straight-down camera of a top-down desk in the
 * top-down range, builds a two-part object as two parts of one thing, and obeys --scene-kind.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { suiteProgram } from "../src/bench/generate.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram, specFromProgram } from "../src/program/emit.ts";
import type { SceneKindChoice } from "../src/program/scene-kind.ts";
import type { SceneSpec, SceneSpecInput } from "../src/program/scene-spec.ts";
import { RunRecord } from "../src/run/files.ts";
import { renderClevrTarget } from "./support/clevr-target.ts";

let dir: string;
let pool: BlenderPool;
const targets: Record<string, string> = {};

async function renderTarget(name: string, source: string, width: number, height: number): Promise<string> {
  const out = path.join(dir, name);
  const reply = await pool.run({
    body: programBody(source),
    outDir: dir,
    render: { width, height, samples: 16, views: [{ name }] },
  });
  expect(reply.ok).toBe(true);
  return `${out}.png`;
}

/** Two boxes of different colours, one on the other, on a white backdrop: one thing of two parts. */
const TWO_PARTS: SceneSpecInput = {
  objects: [
    {
      name: "truck_body",
      shape: "cube",
      size: [2.4, 1.2, 0.8],
      location: [0, 0, 0.4],
      color: [0.8, 0.5, 0.02],
    },
    {
      name: "truck_cab",
      shape: "cube",
      size: [0.9, 1.0, 0.8],
      location: [0.6, 0, 1.2],
      color: [0.05, 0.1, 0.5],
    },
  ],
  camera: { location: [0, -9.5, 5.5], lookAt: [0, 0, 0.5], lensMm: 50 },
  sun: { elevationDeg: 50, azimuthDeg: -40, strength: 3 },
  world: { color: [1, 1, 1], strength: 1 },
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-kinds-"));
  vi.stubEnv("SEIG_MODELS_DIR", path.join(dir, "models-missing"));
  vi.stubEnv("HF_HUB_OFFLINE", "1");
  targets["ground"] = await renderClevrTarget(dir, 11, 128, 96);
  pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
  targets["object"] = await renderTarget("object", suiteProgram("object", 0, 0).source, 160, 160);
  targets["topdown"] = await renderTarget("topdown", suiteProgram("topdown", 0, 2).source, 128, 96);
  targets["closeup"] = await renderTarget("closeup", suiteProgram("closeup", 0, 0).source, 128, 96);
  targets["two-parts"] = await renderTarget("two-parts", emitProgram(TWO_PARTS), 128, 96);
}, 180_000);

afterAll(async () => {
  await pool?.close();
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/** An offline run that stops after initialisation (the geometry stage gets no renders) on the shared pool; its run.json and scaffold. */
async function reconstruct(name: string, sceneKind: SceneKindChoice = "auto") {
  const out = path.join(dir, `run-${name}-${sceneKind}`);
  await reconstructOffline({
    ...DEFAULT_OFFLINE,
    image: targets[name]!,
    outDir: out,
    // Initialisation always runs in full; the tests look only at its scaffold and run.json.
    budget: { kind: "renders", renders: 1 },
    stages: ["geometry"],
    finalSide: 96,
    finalSamples: 8,
    semanticMetrics: false,
    sceneKind,
    pool,
  });
  const run = RunRecord.parse(JSON.parse(await readFile(path.join(out, "run.json"), "utf8")));
  const scaffold = specFromProgram(
    await readFile(path.join(out, "stages", "scaffold", "program.py"), "utf8"),
  );
  return { run, scaffold: scaffold!, out };
}

function pitchOf(spec: Pick<SceneSpec, "camera">): number {
  const [x, y, z] = spec.camera.location.map((v, i) => spec.camera.lookAt[i]! - v);
  return (Math.atan2(-z!, Math.hypot(x!, y!)) * 180) / Math.PI;
}

describe("scene kinds (Blender)", () => {
  it.each([
    ["ground", true],
    ["object", false],
    ["closeup", false],
  ] as const)(
    "detects a generated %s target and builds its scaffold (ground plane: %s)",
    async (kind, ground) => {
      const { run, scaffold } = await reconstruct(kind);
      expect(run.sceneKind).toMatchObject({ kind, source: "detected" });
      expect(scaffold.ground !== undefined).toBe(ground);
    },
    300_000,
  );

  it("finds the straight-down camera of a generated top-down desk within the top-down range (--scene-kind topdown)", async () => {
    const truth = suiteProgram("topdown", 0, 2).scene.spec;
    const { run, scaffold } = await reconstruct("topdown", "topdown");
    expect(run.sceneKind).toMatchObject({ kind: "topdown", source: "option" });
    expect(run.sceneKind?.evidence).toContain("--scene-kind topdown");
    expect(pitchOf(truth)).toBeGreaterThan(85);
    expect(pitchOf(scaffold)).toBeGreaterThanOrEqual(75);
    expect(Math.abs(pitchOf(scaffold) - pitchOf(truth))).toBeLessThan(12);
    expect(scaffold.ground).toBeDefined();
  }, 300_000);

  it("decomposes a two-part object into two parts of one thing", async () => {
    const { run, scaffold } = await reconstruct("two-parts");
    expect(run.sceneKind?.kind).toBe("object");
    expect(scaffold.objects.length).toBeGreaterThanOrEqual(2);
    const things = new Set(scaffold.objects.map((o) => o.name.split("_")[0]));
    expect([...things]).toEqual(["thing1"]);
    expect(scaffold.objects.every((o) => /^thing1_[a-z]+\d+$/.test(o.name))).toBe(true);
  }, 300_000);

  it("--scene-kind forces a kind the frame does not suggest", async () => {
    const { run, scaffold } = await reconstruct("two-parts", "ground");
    expect(run.sceneKind).toMatchObject({ kind: "ground", source: "option" });
    expect(scaffold.ground).toBeDefined();
    expect(pitchOf(scaffold)).toBeLessThan(60);
  }, 300_000);
});
