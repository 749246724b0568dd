/** The queue's pieces that need no Redis: ids, packing, URLs, secrets, and the CLI's one-line refusals. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.ts";
import { InputError } from "../src/errors.ts";
import { JobData } from "../src/queue/job-data.ts";
import { jobId } from "../src/queue/job-id.ts";
import { packFolder, unpackFolder } from "../src/queue/pack.ts";
import { ResultTooLarge } from "../src/queue/queue-errors.ts";
import { parseQueueUrl } from "../src/queue/redis-url.ts";
import { assertNoSecrets } from "../src/queue/secrets.ts";
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

  it("says in one line which Redis it cannot reach (exit 1), and that s3 results are unsupported (exit 2)", async () => {
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
        /s3-compatible\) URLs are not supported in this build/,
      );
    } finally {
      err.mockRestore();
    }
  });
});
