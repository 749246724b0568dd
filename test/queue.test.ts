/**
 * The job queue end to end: real redis-server, real BullMQ, real `seig worker` processes with
 * real Blender, and `seig bench run --queue` as the submitter. Scenes use the "flat" method (one
 * small render each) so the tests measure the queue, not the reconstruction. Each scenario uses
 * its own seed, so its jobs are new.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSuite } from "../src/bench/generate.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { RedisServer, Seig } from "./queue-fixture.ts";

const SCENES = 4;

describe("seig worker + bench run --queue", () => {
  let dir: string;
  let redis: RedisServer;
  const workers: Seig[] = [];
  const suite = () => path.join(dir, "suite");

  const startWorker = async (name: string) => {
    const worker = new Seig([
      "worker",
      "--queue",
      redis.url,
      "--name",
      name,
      "--pool",
      "1",
      "--lock-ms",
      "3000",
      "--stalled-ms",
      "1000",
      "--work-dir",
      path.join(dir, `work-${name}`),
    ]);
    workers.push(worker);
    await worker.waitFor(/jobs in /);
    return worker;
  };
  const submit = (out: string, seed: number, ...extra: string[]) =>
    new Seig([
      "bench",
      "run",
      suite(),
      "--method",
      "flat",
      "--seed",
      String(seed),
      "-o",
      path.join(dir, out),
      "--queue",
      redis.url,
      ...extra,
    ]);
  const rows = async (out: string) =>
    JSON.parse(await readFile(path.join(dir, out, "results.json"), "utf8")).rows as {
      scene: string;
      error?: string;
      values?: Record<string, number | null>;
    }[];
  /** How many times each job was finished, over every worker that ever ran. */
  const finishedCounts = () => {
    const counts = new Map<string, number>();
    for (const id of workers.flatMap((w) => w.finished())) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  };
  const jobsOfSeed = (counts: Map<string, number>, ids: readonly string[]) =>
    ids.map((id) => counts.get(id) ?? 0);
  /** Scenes with a score.json: a folder alone may be a result still being unpacked. */
  const scored = async (out: string) => {
    const scenes = path.join(dir, out, "scenes");
    const folders = await readdir(scenes).catch(() => [] as string[]);
    const scores = await Promise.all(
      folders.map((s) => stat(path.join(scenes, s, "score.json")).catch(() => null)),
    );
    return scores.filter((s) => s !== null).length;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-queue-"));
    redis = await RedisServer.start(dir);
    const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
    try {
      await generateSuite(pool, { suite: "clevr", n: SCENES, seed: 1, outDir: suite(), samples: 2 });
    } finally {
      await pool.close();
    }
    await Promise.all([startWorker("w1"), startWorker("w2")]);
  }, 300_000);
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a 4-scene suite on two workers, every scene scored once, with a local run's outputs", async () => {
    const run = submit("two", 1);
    expect(await run.exited).toBe(0);
    const result = await rows("two");
    expect(result.map((r) => r.scene)).toEqual(["clevr_000", "clevr_001", "clevr_002", "clevr_003"]);
    expect(result.filter((r) => r.error)).toEqual([]);
    const ids = [...finishedCounts().keys()];
    expect(ids).toHaveLength(SCENES);
    expect(jobsOfSeed(finishedCounts(), ids)).toEqual([1, 1, 1, 1]);
    // The score points at the submitter's own files, as a local run's does.
    const score = JSON.parse(
      await readFile(path.join(dir, "two", "scenes", "clevr_000", "score.json"), "utf8"),
    );
    expect(score.target).toBe(path.join(suite(), "clevr_000", "target.png"));
    expect(score.render).toBe(path.join(dir, "two", "scenes", "clevr_000", "final.png"));
    // Submitting the same suite again (another output folder) finds the finished jobs: no new work.
    expect(await submit("again", 1).exited).toBe(0);
    expect(await rows("again")).toEqual(result);
    expect([...finishedCounts().values()].reduce((a, b) => a + b)).toBe(SCENES);
  });

  it("gives the bench summary row and per-scene values of a local bench run of the same suite", async () => {
    const local = new Seig([
      "bench",
      "run",
      suite(),
      "--method",
      "flat",
      "--seed",
      "1",
      "-o",
      path.join(dir, "local"),
    ]);
    expect(await local.exited, local.output).toBe(0);
    const summary = new Seig(["bench", "summary", path.join(dir, "local"), path.join(dir, "two")]);
    expect(await summary.exited, summary.output).toBe(0);
    const table = summary.output
      .split("\n")
      .filter((l) => l.startsWith("|"))
      .map((l) =>
        l
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    const [header, , a, b] = table as [string[], string[], string[], string[]];
    // Wall time is the one thing that differs; the run label names the method, not the folder.
    const kept = header
      .map((h, i) => (h === "run" || h.startsWith("seconds") ? -1 : i))
      .filter((i) => i >= 0);
    expect([a[0], b[0]]).toEqual(["flat (local)", "flat (two)"]);
    expect(header).toContain("LPIPS ↓");
    expect(kept.map((i) => b[i])).toEqual(kept.map((i) => a[i]));
    const withoutSeconds = async (out: string) =>
      (await rows(out)).map(({ values: { seconds: _, ...values } = {}, ...rest }) => ({ ...rest, values }));
    expect(await withoutSeconds("two")).toEqual(await withoutSeconds("local"));
  });

  it("finishes the job of a worker killed with -9 on the other worker, nothing lost or doubled", async () => {
    const [w1, w2] = workers as [Seig, Seig];
    const before = new Set(finishedCounts().keys());
    const from = w1.output.length;
    const run = submit("killed", 2);
    const id = (await w1.waitFor(/: started (\S+\.\S+\.\w+) \(attempt/, 120_000, from))[1]!;
    w1.kill("SIGKILL");
    expect(await run.exited).toBe(0);
    expect((await rows("killed")).filter((r) => r.error)).toEqual([]);
    expect(w1.finished()).not.toContain(id);
    expect(w2.finished()).toContain(id);
    const fresh = [...finishedCounts()].filter(([k]) => !before.has(k));
    expect(fresh).toHaveLength(SCENES);
    expect(fresh.every(([, n]) => n === 1)).toBe(true);
    await startWorker("w3");
  });

  it("lets a killed submitter's restart finish without re-running finished scenes", async () => {
    const before = new Set(finishedCounts().keys());
    const first = submit("restart", 3);
    const deadline = Date.now() + 120_000;
    while ((await scored("restart")) < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    first.kill("SIGKILL");
    await first.exited;
    // A scene folder can exist without its score.json (the kill came while it was being
    // written): only scored scenes count as finished, and only they must not run again.
    const folders = await readdir(path.join(dir, "restart", "scenes"));
    const scoredNow = await Promise.all(
      folders.map((s) => stat(path.join(dir, "restart", "scenes", s, "score.json")).catch(() => null)),
    );
    const done = folders.filter((_, i) => scoredNow[i] !== null);
    const stamps = scoredNow.filter((s) => s !== null);
    expect(done.length).toBeGreaterThanOrEqual(1);
    const second = submit("restart", 3);
    expect(await second.exited).toBe(0);
    expect((await rows("restart")).filter((r) => r.error)).toHaveLength(0);
    const after = await Promise.all(
      done.map((s) => stat(path.join(dir, "restart", "scenes", s, "score.json"))),
    );
    expect(after.map((s) => s.mtimeMs)).toEqual(stamps.map((s) => s.mtimeMs));
    const fresh = [...finishedCounts()].filter(([k]) => !before.has(k));
    expect(fresh).toHaveLength(SCENES);
    expect(fresh.every(([, n]) => n === 1)).toBe(true);
  });

  it("stops with one line naming Redis when it goes away, and a restart continues", async () => {
    const run = submit("outage", 4, "--redis-timeout", "3");
    const deadline = Date.now() + 120_000;
    while ((await scored("outage")) < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await redis.stop();
    expect(await run.exited).toBe(1);
    const line = run.output.trim().split("\n").at(-1)!;
    expect(line).toMatch(
      new RegExp(`^seig: Redis at redis://127\\.0\\.0\\.1:${redis.port} stopped answering`),
    );
    await redis.restart();
    const again = submit("outage", 4, "--redis-timeout", "30");
    expect(await again.exited).toBe(0);
    const result = await rows("outage");
    expect(result).toHaveLength(SCENES);
    expect(result.filter((r) => r.error)).toEqual([]);
  });

  it("fails a result over the size limit with a clear message, without retrying it", async () => {
    const run = submit("oversize", 5, "--max-result-mb", "0.001");
    expect(await run.exited).toBe(0);
    const result = await rows("oversize");
    expect(result).toHaveLength(SCENES);
    for (const r of result) {
      expect(r.error).toMatch(
        /packs to [\d.]+ MB, over the 0\.001 MB limit — raise --max-result-mb or give .* --results folder/,
      );
    }
    expect(run.output).toMatch(/seig: scene failed: clevr_000: .*over the 0\.001 MB limit/);
    const status = new Seig(["queue", "status", redis.url]);
    expect(await status.exited).toBe(0);
    expect(status.output).toMatch(/failed 4/);
    expect(status.output).toMatch(/after 1 attempt\(s\): the run folder of scene clevr_00\d packs to/);
    expect(status.output).toMatch(/workers alive: 2/);
  });

  it("stops a worker on SIGTERM, exiting 0 once its jobs are done", async () => {
    const worker = workers.at(-1)!;
    worker.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output).toMatch(/SIGTERM: finishing the job\(s\) in hand[^\n]*\n[^\n]*: stopped\n/);
  });
});
