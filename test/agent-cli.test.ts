import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../src/blender/pool.ts";
import { startFakeProviders } from "./support/fake-providers.ts";
import { createOracle } from "./support/oracle.ts";
import { renderTruth, TWO_THINGS } from "./support/oracle-scene.ts";
import { runSeig } from "./support/run-cli.ts";

let root: string;
let target: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-agent-cli-"));
  const pool = await BlenderPool.start({ size: 1, writableDirs: [root] });
  try {
    target = await renderTruth(pool, TWO_THINGS, path.join(root, "truth"), {
      width: 96,
      height: 72,
      samples: 8,
    });
  } finally {
    await pool.close();
  }
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TINY_RUN = [
  "--res",
  "48",
  "--samples",
  "4",
  "--scaffolds",
  "2",
  "--rounds",
  "geometry=2,material=1,composition=1,lighting=1",
  "--concurrency",
  "1",
  "--quiet",
];

describe("seig reconstruct with a model, end to end through the command line", () => {
  it("runs the staged agent against an OpenAI-compatible server and writes the run folder", async () => {
    const oracle = createOracle({ truth: TWO_THINGS });
    const fake = await startFakeProviders(oracle.handler);
    const out = path.join(root, "run");
    try {
      const model = `openai-compatible:${fake.baseURLs["openai-compatible"]}#oracle`;
      const result = await runSeig(["reconstruct", target, "-o", out, "--model", model, ...TINY_RUN], {});
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(oracle.problems).toEqual([]);
      expect(fake.requests.every((r) => r.provider === "openai-compatible" && r.model === "oracle")).toBe(
        true,
      );
    } finally {
      await fake.close();
    }
    for (const file of ["program.py", "final.png", "trace.jsonl", "report.html", "run.json", "metrics.json"])
      expect((await stat(path.join(out, file))).size).toBeGreaterThan(0);
    const run = JSON.parse(await readFile(path.join(out, "run.json"), "utf8"));
    // --res sets the agent's working side (its own default, 256, would keep the 96×72 photo's size).
    expect(run.workingResolution).toEqual([{ name: "working", width: 48, height: 36, samples: 4 }]);
    expect(run.target).toMatchObject({ width: 96, height: 72 });
    expect(run.method).toBe("vlm-staged");
    expect(Object.keys(run.stages)).toEqual(["scaffold", "geometry", "material", "composition", "lighting"]);
    const trace = (await readFile(path.join(out, "trace.jsonl"), "utf8")).trim().split("\n");
    expect(trace.length).toBe(run.usage.total.calls);
  }, 90_000);

  it("stops with exit 1 and one line naming the key when the provider rejects it", async () => {
    const oracle = createOracle({ truth: TWO_THINGS });
    const fake = await startFakeProviders(oracle.handler, { apiKey: "the-right-key" });
    try {
      const result = await runSeig(
        [
          "reconstruct",
          target,
          "-o",
          path.join(root, "bad-key"),
          "--model",
          "anthropic:claude-test",
          ...TINY_RUN,
        ],
        { ANTHROPIC_API_KEY: "a-wrong-key", ANTHROPIC_BASE_URL: fake.baseURLs.anthropic },
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/rejected the key \(HTTP 401\): check ANTHROPIC_API_KEY/);
      // A rejected key is not retried.
      expect(fake.requests).toHaveLength(1);
      expect(oracle.kinds).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
