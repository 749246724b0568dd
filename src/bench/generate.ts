/**
 * `seig bench generate`: writes a suite of ground-truth scenes, each as a seig scene
 * program, its truth.json and its rendered target, plus suite.json listing them. Scenes
 * come from a seeded PRNG (scene k's seed depends only on the suite seed and k), and
 * renders use a fixed Cycles seed, so the same command gives the same files.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { BlenderPool } from "../blender/pool.ts";
import { SeigError } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import { emitProgram } from "../program/emit.ts";
import { createRandom, sceneSeed } from "../random.ts";
import type { SuiteGenerator } from "./suites/bench-scene.ts";
import { clevrScene } from "./suites/clevr.ts";
import { closeupScene } from "./suites/closeup.ts";
import { objectScene } from "./suites/object.ts";
import { roomScene } from "./suites/room.ts";
import { tabletopScene } from "./suites/tabletop.ts";
import { topdownScene } from "./suites/topdown.ts";
import { buildTruth } from "./truth.ts";

export const SUITES: Readonly<Record<string, SuiteGenerator>> = {
  clevr: clevrScene,
  tabletop: tabletopScene,
  room: roomScene,
  object: objectScene,
  topdown: topdownScene,
  closeup: closeupScene,
};
export const SuiteName = z.enum(["clevr", "tabletop", "room", "object", "topdown", "closeup"]);
export type SuiteName = z.infer<typeof SuiteName>;

export const TARGET = "target.png";
export const PROGRAM = "program.py";
export const TRUTH = "truth.json";
export const SUITE_FILE = "suite.json";

export const SuiteManifest = z.object({
  suite: z.string(),
  n: z.number().int(),
  seed: z.number().int(),
  samples: z.number().int(),
  scenes: z.array(z.object({ id: z.string(), seed: z.number().int(), objects: z.number().int() })),
});
export type SuiteManifest = z.infer<typeof SuiteManifest>;

export interface GenerateOptions {
  suite: SuiteName;
  n: number;
  seed: number;
  outDir: string;
  /** Cycles samples of the targets. */
  samples: number;
  onSceneDone?: (id: string) => void;
}

export function sceneId(suite: string, index: number): string {
  return `${suite}_${String(index).padStart(3, "0")}`;
}

/** The program of scene `index` of a suite: pure, no Blender needed. */
export function suiteProgram(suite: SuiteName, seed: number, index: number) {
  const scene = SUITES[suite]!(createRandom(sceneSeed(seed, index)));
  const source = emitProgram(scene.spec, {
    source: `seig bench suite ${suite}, seed ${seed}, scene ${index}`,
    resolution: { width: scene.width, height: scene.height },
  });
  return { scene, source };
}

async function generateScene(pool: BlenderPool, options: GenerateOptions, index: number) {
  const id = sceneId(options.suite, index);
  const dir = path.join(options.outDir, id);
  await mkdir(dir, { recursive: true });
  const { scene, source } = suiteProgram(options.suite, options.seed, index);
  await writeFile(path.join(dir, PROGRAM), source);
  const reply = await pool.run({
    body: programBody(source),
    outDir: dir,
    render: {
      width: scene.width,
      height: scene.height,
      samples: options.samples,
      seed: 0,
      views: [{ name: "target" }],
    },
  });
  if (!reply.ok) {
    throw new SeigError(
      `rendering ${id} failed (${reply.error?.kind}): ${reply.error?.message} — see ${dir}/${PROGRAM}`,
    );
  }
  const seed = sceneSeed(options.seed, index);
  const truth = buildTruth(scene, reply.objects, {
    suite: options.suite,
    id,
    seed,
    samples: options.samples,
  });
  await writeFile(path.join(dir, TRUTH), `${JSON.stringify(truth, null, 2)}\n`);
  options.onSceneDone?.(id);
  return { id, seed, objects: truth.objects.filter((o) => o.role === "object").length };
}

export async function generateSuite(pool: BlenderPool, options: GenerateOptions): Promise<SuiteManifest> {
  await mkdir(options.outDir, { recursive: true });
  const scenes = await Promise.all(
    Array.from({ length: options.n }, (_, i) => generateScene(pool, options, i)),
  );
  const manifest: SuiteManifest = {
    suite: options.suite,
    n: options.n,
    seed: options.seed,
    samples: options.samples,
    scenes,
  };
  await writeFile(path.join(options.outDir, SUITE_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
