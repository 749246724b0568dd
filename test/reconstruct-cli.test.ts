import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { createRandom } from "../src/random.ts";
import { ProgressEvent } from "../src/run/events.ts";
import { runSeig } from "./support/run-cli.ts";
import { expectFinishedOfflineRun } from "./support/run-folder-checks.ts";

let dir: string;
let target: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-reconstruct-cli-"));
  const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
  try {
    const reply = await pool.run({
      body: programBody(emitProgram(clevrScene(createRandom(3)).spec)),
      outDir: dir,
      render: { width: 64, height: 48, samples: 16, views: [{ name: "target" }] },
    });
    if (!reply.ok) throw new Error(`rendering the target failed: ${reply.error?.message}`);
    target = reply.images[0]!.path;
  } finally {
    await pool.close();
  }
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("seig reconstruct (offline) on the command line", () => {
  it("writes a finished run folder and prints valid JSON progress events ending with run-end", async () => {
    const out = path.join(dir, "run");
    // Small on purpose: a 32 px working side, two stages, a render budget (initialisation, about
    // 100 renders, always runs in full) and no CLIP/DINO, so the run takes seconds. `--model
    // offline` names the default method explicitly.
    const args = [
      "reconstruct",
      target,
      "-o",
      out,
      "--model",
      "offline",
      "--res",
      "32",
      "--budget",
      "120",
      "--seed",
      "3",
    ];
    const result = await runSeig([...args, "--stages", "geometry,lighting", "--no-semantic", "--json"]);
    expect(result.code, result.stderr).toBe(0);

    // Every stdout line is one progress event, valid under the run layer's schema.
    const lines = result.stdout.trim().split("\n");
    const events = lines.map((line) => ProgressEvent.parse(JSON.parse(line)));
    expect(events[0]).toMatchObject({ type: "run-start", method: "offline", outDir: path.resolve(out) });
    const starts = events.filter((e) => e.type === "stage-start").map((e) => e.stage);
    expect(starts).toEqual(expect.arrayContaining(["geometry", "lighting"]));
    expect(starts).not.toContain("material");
    expect(events.some((e) => e.type === "iteration")).toBe(true);
    const end = events.at(-1)!;
    if (end.type !== "run-end") throw new Error(`the last event is ${end.type}, not run-end`);

    const { run, metrics } = await expectFinishedOfflineRun(out, {
      final: { width: 64, height: 48 },
      working: { width: 32, height: 24 },
      stages: ["geometry", "lighting"],
    });
    // The options reached the run, and the events agree with the files.
    expect(run).toMatchObject({
      seed: 3,
      settings: { workingSide: 32, stages: ["geometry", "lighting"], semanticMetrics: false },
      renders: end.renders,
    });
    expect(run.renders).toBeLessThanOrEqual(120);
    expect(end.psnr).toBe(metrics.final.psnr);
    expect(end.flat).toEqual(metrics.flat);
    expect(metrics.final.unavailable["clip"]).toMatch(/disabled \(semantic metrics switched off\)/);
  }, 120_000);
});
