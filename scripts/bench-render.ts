/**
 * npm run bench:render — pooled workers versus a fresh `blender -b` per render.
 * 40 renders of a small scene at 128×128. Reports renders per second for both, their
 * ratio, and the per-job overhead of the pool above Blender's own build+render time.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { findBlender } from "../src/blender/find.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { withCanonicalFooter } from "../src/program/assemble.ts";

const run = promisify(execFile);
const RENDERS = Number(process.env["BENCH_RENDERS"] ?? 40);
// The fixture is a program body; the cold runs need the standalone program with its footer.
const body = readFileSync(new URL("../test/fixtures/programs/cube.py", import.meta.url), "utf8");
const render = { width: 128, height: 128, samples: 8 };

async function pooled(size: number) {
  const pool = await BlenderPool.start({ size });
  const started = performance.now();
  let blenderSeconds = 0;
  await Promise.all(
    Array.from({ length: size }, async (_, lane) => {
      for (let i = lane; i < RENDERS; i += size) {
        const reply = await pool.run({ body, render, params: { "cube.location": [i * 0.01, 0, 0.5] } });
        if (!reply.ok) throw new Error(reply.error?.message);
        blenderSeconds += reply.buildSeconds + reply.renderSeconds;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    seconds,
    perSecond: RENDERS / seconds,
    overheadMs: ((seconds * size - blenderSeconds) / RENDERS) * 1000,
  };
}

async function cold() {
  const blender = await findBlender();
  const dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-"));
  const programPath = path.join(dir, "program.py");
  await writeFile(programPath, withCanonicalFooter(body));
  const started = performance.now();
  for (let i = 0; i < RENDERS; i++) {
    await run(blender.path, [
      "-b",
      "--factory-startup",
      "--python-exit-code",
      "1",
      "-P",
      programPath,
      "--",
      "--render",
      path.join(dir, `${i}.png`),
      "--res",
      "128",
      "128",
      "--samples",
      "8",
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  await rm(dir, { recursive: true, force: true });
  return { seconds, perSecond: RENDERS / seconds };
}

const coldResult = await cold();
const one = await pooled(1);
const full = await pooled(os.availableParallelism());
const rows = [
  ["cold blender -b per render (sequential)", coldResult.perSecond.toFixed(2), "-"],
  ["pool, 1 worker (sequential)", one.perSecond.toFixed(2), one.overheadMs.toFixed(1)],
  [`pool, ${os.availableParallelism()} workers`, full.perSecond.toFixed(2), full.overheadMs.toFixed(1)],
];
console.log(`${RENDERS} renders, 128×128, Cycles CPU, 8 samples\n`);
console.log("| mode | renders/s | overhead ms/job |\n|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log(`\npooled(1 worker) / cold = ${(one.perSecond / coldResult.perSecond).toFixed(2)}×`);
console.log(
  `pooled(${os.availableParallelism()} workers) / cold = ${(full.perSecond / coldResult.perSecond).toFixed(2)}×`,
);
