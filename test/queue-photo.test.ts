/**
 * `seig reconstruct <photo> --queue` end to end: real redis-server, real `seig worker`s with real
 * Blender, a real S3-compatible server (s3rver, speaking the S3 wire protocol on localhost). Every
 * job reconstructs the same tiny photo with the same seed, so every run folder must hold the very
 * program of a local run; jobs differ only in --concurrency, which changes the job id, not the result.
 * The two workers share one --work-dir, as workers on one machine do by default.
 */
import { mkdtemp, readFile, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Redis } from "ioredis";
import S3rver from "s3rver";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathExists } from "../src/path-exists.ts";
import { listFiles } from "../src/queue/pack.ts";
import { RedisServer, Seig } from "./queue-fixture.ts";

const example = fileURLToPath(new URL("../examples/photos/clevr.png", import.meta.url));
/** A 64×48 photo, 32 px working renders, 120 renders in all: initialisation and a few stage rounds. */
const TINY = ["--res", "32", "--budget", "120", "--no-semantic"];
const S3_KEY = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
const env = { ...process.env, ...S3_KEY };

describe("seig reconstruct --queue", () => {
  let dir: string;
  let photo: string;
  let redis: RedisServer;
  let s3: S3rver;
  let s3url: string;
  let reference: string;
  const workers: Seig[] = [];
  const workDir = () => path.join(dir, "work");

  const startWorker = async (name: string) => {
    const worker = new Seig(
      [
        ...["worker", "--queue", redis.url, "--name", name, "--pool", "1"],
        ...["--lock-ms", "3000", "--stalled-ms", "1000", "--work-dir", workDir()],
      ],
      env,
    );
    workers.push(worker);
    await worker.waitFor(/jobs in /);
    return worker;
  };
  const submit = (out: string, ...extra: string[]) =>
    new Seig(["reconstruct", photo, "-o", path.join(dir, out), "--queue", redis.url, ...TINY, ...extra], env);
  const marks = () => workers.map((w) => w.output.length);
  /** Jobs finished since `from` (each worker's output length then), over every worker. */
  const finishedSince = (from: number[]) =>
    workers.flatMap((w, i) =>
      [...w.output.slice(from[i] ?? 0).matchAll(/: finished (\S+)/g)].map((m) => m[1]!),
    );
  const finishedCount = (id: string) => workers.flatMap((w) => w.finished()).filter((f) => f === id).length;
  /** The job's stored hash in Redis, everything BullMQ keeps of it (data, result, error). */
  const jobHash = async (id: string) => {
    const client = new Redis(redis.url);
    try {
      return await client.hgetall(`bull:seig-reconstruct:${id}`);
    } finally {
      client.disconnect();
    }
  };
  const runJson = async (out: string) => JSON.parse(await readFile(path.join(out, "run.json"), "utf8"));

  /** The run folder a local `seig reconstruct` writes: same files, same program, same final pixels. */
  async function expectLikeLocal(out: string): Promise<void> {
    expect(await listFiles(out)).toEqual(await listFiles(reference));
    expect(
      (await readFile(path.join(out, "program.py"))).equals(
        await readFile(path.join(reference, "program.py")),
      ),
    ).toBe(true);
    const pixels = (f: string) => sharp(f).raw().toBuffer();
    expect(
      (await pixels(path.join(out, "final.png"))).equals(await pixels(path.join(reference, "final.png"))),
    ).toBe(true);
    expect((await runJson(out)).status).toBe("done");
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-queue-photo-"));
    photo = path.join(dir, "photo.png");
    await sharp(example)
      .extract({ left: 160, top: 40, width: 160, height: 120 })
      .resize(64, 48)
      .png()
      .toFile(photo);
    redis = await RedisServer.start(dir);
    s3 = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory: path.join(dir, "s3"),
      configureBuckets: [{ name: "runs", configs: [] }],
    });
    const { port } = await s3.run();
    s3url = `s3+http://127.0.0.1:${port}/runs/photos`;
    reference = path.join(dir, "reference");
    const local = new Seig(["reconstruct", photo, "-o", reference, ...TINY, "--quiet"]);
    expect(await local.exited, local.output).toBe(0);
  }, 300_000);
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await redis?.stop();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps a failed job's error, and seig queue retry runs it again once the cause is fixed", async () => {
    // Submitted before any worker runs; the photo (sent by path) then disappears.
    const first = submit("retried", "--by-path", "--concurrency", "6");
    const deadline = Date.now() + 60_000;
    let id: string | undefined;
    while (!id && Date.now() < deadline) {
      const client = new Redis(redis.url);
      const keys = await client.keys("bull:seig-reconstruct:photo.*");
      id = keys.map((k) => k.match(/^bull:seig-reconstruct:(photo\.[^:]+)$/)?.[1]).find(Boolean);
      client.disconnect();
      if (!id) await new Promise((r) => setTimeout(r, 200));
    }
    if (!id) throw new Error("the job never reached Redis");
    await rename(photo, `${photo}.away`);
    await Promise.all([startWorker("w1"), startWorker("w2")]);
    expect(await first.exited).toBe(1);
    expect(first.output).toMatch(
      new RegExp(
        `seig: job ${id.replace(/\./g, "\\.")} failed on the workers: input .*photo\\.png is not readable on this worker.*\\(retry it with seig queue retry\\)`,
      ),
    );
    expect((await jobHash(id))["failedReason"]).toMatch(/not readable on this worker/);
    await rename(`${photo}.away`, photo);
    const retry = new Seig(["queue", "retry", redis.url]);
    expect(await retry.exited).toBe(0);
    expect(retry.output).toBe("1 failed job(s) moved back to waiting\n");
    const finishedDeadline = Date.now() + 120_000;
    while (finishedCount(id) === 0 && Date.now() < finishedDeadline)
      await new Promise((r) => setTimeout(r, 200));
    // The same command again collects the retried job's result without running it again.
    const again = submit("retried", "--by-path", "--concurrency", "6");
    expect(await again.exited, again.output).toBe(0);
    await expectLikeLocal(path.join(dir, "retried"));
    expect(finishedCount(id)).toBe(1);
  });

  it("submits one photo, waits, and writes the run folder a local run writes", async () => {
    const run = submit("plain");
    expect(await run.exited, run.output).toBe(0);
    expect(run.output.trim().split("\n").at(-1)).toBe(path.join(dir, "plain"));
    await expectLikeLocal(path.join(dir, "plain"));
  });

  it("resumes the job of a worker killed with -9 mid-run from its checkpoint, to the same program", async () => {
    const before = marks();
    const run = submit("killed", "--concurrency", "1");
    const [, stage, name] = await run.waitFor(/seig: (geometry|material|composition)\b[^\n]* on (w\d)\n/);
    expect(stage).toBeDefined();
    const at = workers.findIndex((w) => w.output.includes(`seig worker ${name}:`));
    const victim = workers[at]!;
    const id = (await victim.waitFor(/: started (photo\.\S+) \(attempt 1\)/, 5000, before[at]))[1]!;
    const runDir = path.join(workDir(), id, "run");
    expect(await pathExists(path.join(runDir, "checkpoint.json"))).toBe(true);
    victim.kill("SIGKILL");
    expect(await run.exited, run.output).toBe(0);
    const other = workers.find((w) => w !== victim && w.finished().includes(id))!;
    expect(other.output).toMatch(new RegExp(`resuming ${id.replace(/\./g, "\\.")} from the checkpoint`));
    expect(victim.finished()).not.toContain(id);
    expect(finishedCount(id)).toBe(1);
    const out = path.join(dir, "killed");
    expect((await runJson(out)).resumed).toBe(true);
    await expectLikeLocal(out);
    await startWorker("w3");
  });

  it("brings the run folder back through a shared --results folder", async () => {
    const shared = path.join(dir, "shared");
    const before = marks();
    const run = submit("by-dir", "--concurrency", "3", "--results", shared);
    expect(await run.exited, run.output).toBe(0);
    await expectLikeLocal(path.join(dir, "by-dir"));
    const [id = "", ...more] = finishedSince(before);
    expect([id, ...more]).toHaveLength(1);
    const result = JSON.parse((await jobHash(id))["returnvalue"]!);
    expect(result).toMatchObject({ kind: "dir", path: path.join(shared, id) });
    expect(await listFiles(path.join(shared, id))).toEqual(await listFiles(reference));
  });

  it("brings the run folder back through S3-compatible storage, keys never in Redis", async () => {
    const before = marks();
    const run = submit("by-s3", "--concurrency", "4", "--results", s3url);
    expect(await run.exited, run.output).toBe(0);
    await expectLikeLocal(path.join(dir, "by-s3"));
    const [id = "", ...more] = finishedSince(before);
    expect([id, ...more]).toHaveLength(1);
    const hash = await jobHash(id);
    expect(JSON.parse(hash["returnvalue"]!)).toMatchObject({ kind: "s3", url: `${s3url}/${id}` });
    expect(JSON.stringify(hash)).not.toContain(S3_KEY.AWS_SECRET_ACCESS_KEY);
    // The objects are where the URL says, one per file of the run folder.
    const client = new S3Client({
      endpoint: s3url.replace(/^s3\+/, "").replace(/\/runs\/photos$/, ""),
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: S3_KEY.AWS_ACCESS_KEY_ID, secretAccessKey: S3_KEY.AWS_SECRET_ACCESS_KEY },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: "runs", Prefix: `photos/${id}/` }));
    client.destroy();
    const keys = (listed.Contents ?? []).map((o) => o.Key!.slice(`photos/${id}/`.length)).sort();
    expect(keys).toEqual([...(await listFiles(reference))].sort());
    // Without credentials the submitter says so in one line before submitting anything.
    const bare = { ...process.env };
    delete bare["AWS_ACCESS_KEY_ID"];
    delete bare["AWS_SECRET_ACCESS_KEY"];
    const refused = new Seig(
      ["reconstruct", photo, "-o", path.join(dir, "no-key"), "--queue", redis.url, "--results", s3url],
      bare,
    );
    expect(await refused.exited).toBe(2);
    expect(refused.output).toMatch(
      /^seig: --results s3\+http:\/\/[^\n]*set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY[^\n]*\n$/,
    );
    const missing = new Seig(
      [
        "reconstruct",
        photo,
        "-o",
        path.join(dir, "no-bucket"),
        "--queue",
        redis.url,
        "--results",
        s3url.replace("/runs/", "/nope/"),
      ],
      env,
    );
    expect(await missing.exited).toBe(1);
    expect(missing.output).toMatch(
      /^seig: --results: reaching s3\+http:\/\/[^\n]*\/nope\/photos failed: no such bucket \(HTTP 404\)\n$/,
    );
  });

  it("lets a worker stopped with SIGTERM mid-job finish that job first: nothing lost, nothing run twice", async () => {
    const before = marks();
    const run = submit("sigterm", "--concurrency", "5");
    const [, name] = await run.waitFor(/seig: (?:geometry|material)\b[^\n]* on (w\d)\n/);
    const at = workers.findIndex(
      (w) => w.output.includes(`seig worker ${name}:`) && w.child.exitCode === null,
    );
    const worker = workers[at]!;
    const id = (await worker.waitFor(/: started (photo\.\S+) \(attempt 1\)/, 5000, before[at]))[1]!;
    worker.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output).toMatch(/SIGTERM: finishing the job\(s\) in hand/);
    expect(worker.finished()).toContain(id);
    expect(await run.exited, run.output).toBe(0);
    expect(finishedCount(id)).toBe(1);
    expect(workers.some((w) => w.output.includes(`resuming ${id}`))).toBe(false);
    await expectLikeLocal(path.join(dir, "sigterm"));
  });
});
