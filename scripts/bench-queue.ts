/**
 * npx tsx scripts/bench-queue.ts — what the job queue costs and what it buys, on this machine.
 * Starts its own redis-server on a free loopback port and real `seig worker` processes, then:
 *  1. no-op jobs: round trip of one job at a time (submit → worker → completed event), and
 *     throughput of a burst (BENCH_NOOPS jobs, one worker at concurrency 8);
 *  2. one tiny render (the flat method on one scene): direct `runScene` on a warm pool vs a job;
 *  3. a BENCH_SCENES-scene suite (BENCH_METHOD, default flat): plain `bench run` vs `--queue` with
 *     1 worker vs 2 workers, wall time of the submitting command (workers already warm).
 * Prints a Markdown table; docs/distributed.md keeps a copy with the machine's load at the time.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QueueEvents } from "bullmq";
import { flatMethod } from "../src/bench/flat-method.ts";
import { generateSuite } from "../src/bench/generate.ts";
import { runScene } from "../src/bench/run.ts";
import { listScenes } from "../src/bench/scenes.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { createMetricModels } from "../src/metrics/metric-models.ts";
import { QUEUE_NAME } from "../src/queue/job-data.ts";
import { openQueue } from "../src/queue/queue-client.ts";
import { connect, parseQueueUrl } from "../src/queue/redis-url.ts";
import { RedisServer, Seig } from "../test/queue-fixture.ts";

const NOOPS = Number(process.env["BENCH_NOOPS"] ?? 200);
const SCENES = Number(process.env["BENCH_SCENES"] ?? 6);
const METHOD = process.env["BENCH_METHOD"] ?? "flat";
const rows: string[][] = [];
const note = (what: string, value: string) => {
  rows.push([what, value]);
  console.error(`${what}: ${value}`);
};

async function worker(url: string, dir: string, name: string, concurrency = 1): Promise<Seig> {
  const w = new Seig([
    "worker",
    "--queue",
    url,
    "--name",
    name,
    "--pool",
    "1",
    "--concurrency",
    String(concurrency),
    "--work-dir",
    path.join(dir, name),
  ]);
  await w.waitFor(/jobs in /);
  return w;
}

async function noops(url: string, dir: string): Promise<void> {
  const w = await worker(url, dir, "noop", 8);
  const queueUrl = parseQueueUrl(url);
  const client = await openQueue(queueUrl);
  const events = new QueueEvents(QUEUE_NAME, { connection: connect(queueUrl) });
  await events.waitUntilReady();
  const one = async (i: number) => {
    const job = await client.queue.add(
      "noop",
      { kind: "noop", sleepMs: 0 },
      { jobId: `noop-${process.pid}-${i}` },
    );
    await job.waitUntilFinished(events);
  };
  await one(-1); // warm-up
  let started = performance.now();
  for (let i = 0; i < 20; i++) await one(i);
  note("no-op job, one at a time: round trip", `${((performance.now() - started) / 20).toFixed(1)} ms`);
  started = performance.now();
  await Promise.all(Array.from({ length: NOOPS }, (_, i) => one(1000 + i)));
  const seconds = (performance.now() - started) / 1000;
  note(`no-op burst of ${NOOPS} (1 worker, concurrency 8)`, `${(NOOPS / seconds).toFixed(0)} jobs/s`);
  await events.close();
  await client.close();
  w.kill("SIGTERM");
  await w.exited;
}

async function timed(args: string[]): Promise<number> {
  const started = performance.now();
  const run = new Seig(args);
  const code = await run.exited;
  if (code !== 0) throw new Error(`seig ${args.join(" ")} failed:\n${run.output}`);
  return (performance.now() - started) / 1000;
}

async function tinyRender(url: string, dir: string, suite: string): Promise<void> {
  const [scene] = await listScenes(suite);
  const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
  const models = createMetricModels({ semantic: false });
  const direct: number[] = [];
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    await runScene(scene!, {
      outDir: path.join(dir, `direct-${i}`),
      method: flatMethod,
      methodOptions: { seed: i },
      pool,
      models,
      concurrency: 1,
    });
    if (i > 0) direct.push(performance.now() - started); // the first pays LPIPS loading
  }
  await models.close();
  await pool.close();
  note(
    "tiny render (flat, 1 scene), direct on a warm pool",
    `${(direct.reduce((a, b) => a + b) / direct.length / 1000).toFixed(2)} s`,
  );
  const w = await worker(url, dir, "tiny");
  const one = [suite, "--method", "flat", "--queue", url];
  await timed(["bench", "run", ...one, "-o", path.join(dir, "warm"), "--seed", "100"]); // warms the worker's LPIPS
  note(
    `tiny renders through the queue, ${SCENES} scenes, 1 warm worker`,
    `${(await timed(["bench", "run", ...one, "-o", path.join(dir, "q1"), "--seed", "101"])).toFixed(1)} s wall for the submitting command`,
  );
  w.kill("SIGTERM");
  await w.exited;
}

async function suiteRuns(url: string, dir: string, suite: string): Promise<void> {
  const base = ["bench", "run", suite, "--method", METHOD];
  note(
    `${SCENES}-scene suite (${METHOD}), plain bench run`,
    `${(await timed([...base, "-o", path.join(dir, "plain")])).toFixed(1)} s`,
  );
  for (const n of [1, 2]) {
    const ws = await Promise.all(Array.from({ length: n }, (_, i) => worker(url, dir, `s${n}-${i}`)));
    await timed([...base, "-o", path.join(dir, `warm${n}`), "--seed", String(200 + n), "--queue", url]);
    const seconds = await timed([
      ...base,
      "-o",
      path.join(dir, `queue${n}`),
      "--seed",
      String(300 + n),
      "--queue",
      url,
    ]);
    note(`${SCENES}-scene suite (${METHOD}), --queue with ${n} warm worker(s)`, `${seconds.toFixed(1)} s`);
    for (const w of ws) w.kill("SIGTERM");
    await Promise.all(ws.map((w) => w.exited));
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), "seig-bench-queue-"));
const redis = await RedisServer.start(dir);
try {
  note("load average at start (1 min, 2 cores)", os.loadavg()[0]!.toFixed(1));
  const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
  await generateSuite(pool, {
    suite: "clevr",
    n: SCENES,
    seed: 7,
    outDir: path.join(dir, "suite"),
    samples: 2,
  });
  await pool.close();
  await noops(redis.url, dir);
  await tinyRender(redis.url, dir, path.join(dir, "suite"));
  await suiteRuns(redis.url, dir, path.join(dir, "suite"));
  note("load average at end (1 min)", os.loadavg()[0]!.toFixed(1));
  console.log(`| measure | value |\n|---|---|\n${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}`);
} finally {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
