/**
 * npm run bench:search — renders per second of the offline search's render path, the old
 * path (one job, one fresh child and a PNG per candidate) and the new one (a generation as
 * one batch per worker, python/batch.py) side by side in one run, at the search's two
 * render levels, for a 6-object emitted scene whose PARAMS vary like CMA-ES candidates.
 *
 * The budget counts renders (BENCH_RENDERS per path and level), not seconds. Per render it
 * splits the cost of a worker's time: the batch's check and reset of the child's state
 * (reply.resetSeconds; the full path's reset is its fresh fork), program execution and build
 * (reply.buildSeconds), Cycles render including Blender writing the image
 * (reply.renderSeconds), and the rest of the worker's time — queueing, IPC, fork, program
 * load, transfer, and the Node work (reading, decoding, the loss) that kept it waiting. Node's
 * read+decode and loss are shown beside it; on the new path candidates stream to Node as
 * they render, so most of that work overlaps with rendering and is not part of the rest.
 * Search renders skip the fingerprint and scene stats on both paths (fingerprint: false), so
 * that column would be 0. The overhead ratio is the whole per-render cost ÷ the render time.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BlenderPool } from "../src/blender/pool.ts";
import { rgbImage } from "../src/image/types.ts";
import { type Candidate, RenderEvaluator, type RenderLevel } from "../src/offline/evaluator.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import type { Params } from "../src/program/parse.ts";
import { parseProgram } from "../src/program/parse.ts";
import type { SceneSpecInput } from "../src/program/scene-spec.ts";
import { createRandom } from "../src/random.ts";

const RENDERS = Number(process.env["BENCH_RENDERS"] ?? 96);
/** A CMA-ES generation's size for this many PARAMS (4 + 3 ln n is about 16 for 60 PARAMS). */
const GENERATION = Number(process.env["BENCH_GENERATION"] ?? 16);
const LEVELS = [
  { width: 40, height: 30, samples: 4 },
  { width: 80, height: 60, samples: 8 },
];
type Vec3 = [number, number, number];
const SHAPES = ["cube", "sphere", "cylinder", "cone", "torus", "cube"] as const;

function scene(): string {
  const objects: SceneSpecInput["objects"] = SHAPES.map((shape, i) => ({
    name: `o${i}`,
    shape,
    size: [0.4, 0.4, 0.4] as Vec3,
    location: [(i % 3) * 0.7 - 0.7, Math.floor(i / 3) * 0.7 - 0.35, 0.2] as Vec3,
    color: [0.2 + 0.1 * i, 0.5, 0.8 - 0.1 * i] as Vec3,
  }));
  const spec: SceneSpecInput = {
    objects,
    camera: { location: [3, -3, 2.2], lookAt: [0, 0, 0.3] },
    sun: { elevationDeg: 40, azimuthDeg: 30, strength: 3 },
    world: { color: [0.5, 0.6, 0.7] },
    ground: { color: [0.5, 0.5, 0.5] },
  };
  return emitProgram(spec, { resolution: { width: 80, height: 60 } });
}

/** Candidates around the scene's PARAMS: every number moved by up to ±5 % (resolution kept). */
function generations(source: string, count: number): Candidate[][] {
  const start = parseProgram(source).params;
  const random = createRandom(14);
  const jitter = (v: unknown): unknown =>
    typeof v === "number" ? v * (1 + random.uniform(-0.05, 0.05)) : Array.isArray(v) ? v.map(jitter) : v;
  const body = programBody(source);
  const all: Candidate[] = Array.from({ length: count }, () => {
    const params: Params = {};
    for (const [key, value] of Object.entries(start))
      if (key !== "render.resolution") params[key] = jitter(value) as never;
    return { body, params };
  });
  return Array.from({ length: Math.ceil(count / GENERATION) }, (_, g) =>
    all.slice(g * GENERATION, (g + 1) * GENERATION),
  );
}

interface Tally {
  renders: number;
  seconds: number;
  reset: number;
  build: number;
  render: number;
  decode: number;
  loss: number;
}

/** Scores every generation through a pool, like RenderEvaluator.score, timing each part. */
async function measure(
  gens: Candidate[][],
  level: RenderLevel,
  config: { workers: number; threads: number; fullPath: boolean },
): Promise<Tally> {
  const pool = await BlenderPool.start({ size: config.workers, threadsPerWorker: config.threads });
  const scratch = await mkdtemp(path.join(pool.workDir, "bench-"));
  const tally: Tally = { renders: 0, seconds: 0, reset: 0, build: 0, render: 0, decode: 0, loss: 0 };
  const evaluator = new RenderEvaluator(pool, scratch, 0, {
    fullPath: config.fullPath,
    onScored: (reply, seconds) => {
      tally.reset += reply.resetSeconds;
      tally.build += reply.buildSeconds;
      tally.render += reply.renderSeconds;
      tally.decode += seconds.decode;
      tally.loss += seconds.loss;
    },
  });
  // One warm-up generation on every worker, so start-up is not counted.
  await evaluator.score(gens[0]!, level);
  Object.assign(tally, { reset: 0, build: 0, render: 0, decode: 0, loss: 0 });
  const started = performance.now();
  for (const gen of gens) {
    const scored = await evaluator.score(gen, level);
    if (scored.some((s) => s.error)) throw new Error(scored.find((s) => s.error)!.error!);
    tally.renders += gen.length;
  }
  tally.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return tally;
}

function row(name: string, t: Tally, workers: number) {
  // A render's share of worker time: wall time × workers ÷ renders.
  const per = (t.seconds * workers) / t.renders;
  const ms = (s: number) => ((s / t.renders) * 1000).toFixed(1);
  const rest = per - (t.reset + t.build + t.render) / t.renders;
  return {
    perSecond: t.renders / t.seconds,
    line: `| ${name} | ${(t.renders / t.seconds).toFixed(2)} | ${(per * 1000).toFixed(1)} | ${(rest * 1000).toFixed(1)} | ${ms(t.reset)} | ${ms(t.build)} | ${ms(t.render)} | ${ms(t.decode)} | ${ms(t.loss)} | ${(per / (t.render / t.renders)).toFixed(2)} |`,
  };
}

const source = scene();
const load = os.loadavg()[0]!.toFixed(2);
console.log(
  `bench:search — ${RENDERS} renders per path and level, generations of ${GENERATION}, ${os.availableParallelism()} cores, load ${load} at start\n`,
);
const cores = os.availableParallelism();
const configs = [
  { name: `old path, ${cores} workers × 1 thread`, workers: cores, threads: 1, fullPath: true },
  { name: `new path, ${cores} workers × 1 thread`, workers: cores, threads: 1, fullPath: false },
  { name: `new path, 1 worker × ${cores} threads`, workers: 1, threads: cores, fullPath: false },
];
for (const size of LEVELS) {
  const level: RenderLevel = {
    name: `${size.width}x${size.height}`,
    samples: size.samples,
    target: rgbImage(
      size.width,
      size.height,
      new Float32Array(size.width * size.height * 3).fill(0.5),
      "grey",
    ),
  };
  const gens = generations(source, RENDERS);
  console.log(`### ${size.width}×${size.height}, ${size.samples} spp\n`);
  console.log(
    "| path | renders/s | ms per render (worker time) | queue/IPC/fork/load/transfer, waiting for Node ms | state reset ms | exec+build ms | Cycles render+write ms | Node read+decode ms | Node loss ms | overhead ratio |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  const rates: number[] = [];
  for (const config of configs) {
    const result = row(config.name, await measure(gens, level, config), config.workers);
    rates.push(result.perSecond);
    console.log(result.line);
  }
  console.log(
    `\nnew/old renders/s: ${(rates[1]! / rates[0]!).toFixed(2)}× (${cores} workers), ${(rates[2]! / rates[0]!).toFixed(2)}× (1 worker × ${cores} threads); load now ${os.loadavg()[0]!.toFixed(2)}\n`,
  );
}
