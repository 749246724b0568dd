/** The queue's pieces that need no Redis: ids, packing, URLs, secrets, leftover run folders, and the CLI's one-line refusals. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.ts";
import { InputError } from "../src/errors.ts";
import { JobData } from "../src/queue/job-data.ts";
import { jobId } from "../src/queue/job-id.ts";
import { leftoverRun } from "../src/queue/leftover-run.ts";
import { packFolder, unpackFolder } from "../src/queue/pack.ts";
import { ResultTooLarge } from "../src/queue/queue-errors.ts";
import { parseQueueUrl } from "../src/queue/redis-url.ts";
import { jobLocation, parseS3Url } from "../src/queue/s3-results.ts";
import { assertNoSecrets } from "../src/queue/secrets.ts";
import { removeAbandonedTemps } from "../src/run/atomic.ts";
import { freePort } from "./queue-fixture.ts";

describe("queue pieces", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-queue-units-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the same job id for the same work in any key order, another for other options", () => {
    const a = jobId("clevr", "clevr_000", { method: "offline", options: { seed: 0, budget: "90s" } });
    expect(jobId("clevr", "clevr_000", { options: { budget: "90s", seed: 0 }, method: "offline" })).toBe(a);
    expect(jobId("clevr", "clevr_000", { method: "offline", options: { seed: 1, budget: "90s" } })).not.toBe(
      a,
    );
    expect(a).toMatch(/^clevr\.clevr_000\.[0-9a-f]{16}$/);
    expect(jobId("a:b", "1", {})).not.toContain(":");
  });

  it("packs a folder and unpacks it byte for byte, and refuses one over the limit with both sizes", async () => {
    await writeFile(path.join(dir, "a.bin"), Buffer.from([0, 1, 2, 255]));
    const { files, bytes } = await packFolder(dir, 1000, "scene x");
    expect(files.map((f) => f.path)).toEqual(["a.bin"]);
    await unpackFolder(path.join(dir, "out"), files);
    expect([...(await readFile(path.join(dir, "out", "a.bin")))]).toEqual([0, 1, 2, 255]);
    await expect(packFolder(dir, bytes - 1, "scene x")).rejects.toThrow(ResultTooLarge);
    await expect(packFolder(dir, 5, "scene x")).rejects.toThrow(
      /scene x packs to 0\.\d+ MB, over the 0\.000 MB limit/,
    );
    await expect(unpackFolder(path.join(dir, "out"), [{ path: "../evil", base64: "" }])).rejects.toThrow(
      /outside/,
    );
  });

  it("reads redis and rediss URLs, masks the password, refuses others", () => {
    expect(parseQueueUrl("redis://:s3cret@host:6380/2").shown).toBe("redis://:***@host:6380/2");
    expect(parseQueueUrl("rediss://host:6380").shown).toBe("rediss://host:6380");
    expect(() => parseQueueUrl("http://host")).toThrow(InputError);
    expect(() => parseQueueUrl("redis://host/abc")).toThrow(/database number/);
  });

  it("refuses job data that carries a key, and job data with fields it does not know", () => {
    const job = { kind: "noop" as const, sleepMs: 0 };
    expect(() =>
      assertNoSecrets({ ...job, note: "sk-abcdefgh12345" }, { OPENAI_API_KEY: "sk-abcdefgh12345" }),
    ).toThrow(/OPENAI_API_KEY/);
    expect(() => assertNoSecrets(job, { OPENAI_API_KEY: "sk-abcdefgh12345" })).not.toThrow();
    expect(JobData.safeParse({ ...job, env: { KEY: "x" } }).success).toBe(false);
  });

  it("says in one line which Redis it cannot reach (exit 1), and how to write an object-storage URL (exit 2)", async () => {
    const port = await freePort();
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["node", "seig", "queue", "status", `redis://127.0.0.1:${port}`])).toBe(1);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(
        new RegExp(
          `^seig: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED[^\\n]*\\n$`,
        ),
      );
      const s3 = [
        "bench",
        "run",
        dir,
        "--method",
        "flat",
        "-o",
        path.join(dir, "o"),
        "--queue",
        "redis://127.0.0.1:1",
      ];
      expect(await main(["node", "seig", ...s3, "--results", "s3://bucket/runs"])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(
        /^seig: --results s3:\/\/…: give s3\+https:\/\/host\[:port\]\/bucket\[\/prefix\]/,
      );
    } finally {
      err.mockRestore();
    }
  });

  it("reads s3+http(s) result URLs: endpoint, bucket, prefix; refuses keys in the URL and a missing bucket", () => {
    expect(parseS3Url("s3+http://127.0.0.1:9000/runs/a/b/")).toEqual({
      endpoint: "http://127.0.0.1:9000",
      bucket: "runs",
      prefix: "a/b",
      url: "s3+http://127.0.0.1:9000/runs/a/b",
    });
    const root = parseS3Url("s3+https://s3.eu-west-1.amazonaws.com/bucket");
    expect(root).toMatchObject({ endpoint: "https://s3.eu-west-1.amazonaws.com", prefix: "" });
    expect(jobLocation(root, "photo.x.1")).toMatchObject({
      prefix: "photo.x.1",
      url: `${root.url}/photo.x.1`,
    });
    expect(() => parseS3Url("s3+https://AKIA:secret@host/bucket")).toThrow(/no credentials in the URL/);
    expect(() => parseS3Url("s3+https://host/")).toThrow(/names no bucket/);
    expect(() => parseS3Url("ftp://host/b")).toThrow(InputError);
  });

  it("tells what an earlier attempt left in a run folder: nothing, a finished run, a checkpoint, or junk", async () => {
    const run = path.join(dir, "leftover");
    expect(await leftoverRun(run, 0)).toBe("none");
    await mkdir(run, { recursive: true });
    expect(await leftoverRun(run, 0)).toBe("unusable");
    const record = { method: "offline", host: os.hostname(), heartbeatAt: new Date().toISOString() };
    // A `running` record of a dead process on this host is an interrupted run; without a checkpoint, junk.
    await writeFile(
      path.join(run, "run.json"),
      JSON.stringify({ ...record, status: "running", pid: 2 ** 22 + 1 }),
    );
    expect(await leftoverRun(run, 0)).toBe("unusable");
    await writeFile(path.join(run, "checkpoint.json"), "{ not json");
    expect(await leftoverRun(run, 0)).toBe("unusable");
    await writeFile(path.join(run, "run.json"), JSON.stringify({ ...record, status: "done" }));
    expect(await leftoverRun(run, 0)).toBe("done");
    // A live run (this very process) is waited for, then refused: two runs never share a folder.
    await writeFile(
      path.join(run, "run.json"),
      JSON.stringify({ ...record, status: "running", pid: process.pid }),
    );
    await expect(leftoverRun(run, 0)).rejects.toThrow(/still being written by pid \d+/);
  });

  it("removes the temporary files a killed run left, and nothing else", async () => {
    const run = path.join(dir, "temps");
    await mkdir(path.join(run, "stages"), { recursive: true });
    for (const f of ["checkpoint.json.123.4.tmp", "stages/best.png.9.1.tmp", "program.py", "notes.tmp"])
      await writeFile(path.join(run, f), "x");
    await removeAbandonedTemps(run);
    expect((await readdir(run, { recursive: true })).sort()).toEqual(["notes.tmp", "program.py", "stages"]);
  });
});
