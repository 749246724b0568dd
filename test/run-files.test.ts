import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricReport } from "../src/metrics/metric-report.ts";
import { ProgressEvent } from "../src/run/events.ts";
import {
  MetricsFile,
  type MetricsFile as MetricsFileT,
  RunRecord,
  type RunRecord as RunRecordT,
  readRunFile,
  writeMetricsJson,
  writeRunJson,
} from "../src/run/files.ts";
import { jsonProgress } from "../src/run/progress.ts";
import { SEIG_VERSION, versions } from "../src/run/version.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-run-files-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const report: MetricReport = {
  psnr: 27.5,
  psnrCapped: false,
  mse: 0.0018,
  ssim: 0.91,
  lpips: 0.12,
  clip: null,
  dino: null,
  unavailable: { clip: "no weights here", dino: "no weights here" },
  resized: false,
  width: 320,
  height: 240,
  lpipsBackbone: "squeeze",
};

const run: RunRecordT = {
  method: "offline",
  image: "/photos/clevr.png",
  status: "done",
  versions: versions("3.4.1"),
  target: { width: 320, height: 240 },
  workingResolution: [{ name: "fine", width: 80, height: 60, samples: 8 }],
  renders: 1396,
  seconds: 105,
  sandboxed: true,
  stages: { geometry: { renders: 536 } },
  budget: { total: "1500" },
};

const metrics: MetricsFileT = {
  method: "offline",
  final: report,
  stages: { scaffold: { psnr: 20.1, ssim: 0.8 }, geometry: { psnr: 25, ssim: 0.88, loss: 0.006 } },
};

describe("run folder files", () => {
  it("run.json and metrics.json round-trip through their writers and readers, extras kept", async () => {
    await writeRunJson(path.join(dir, "run.json"), run);
    await writeMetricsJson(path.join(dir, "metrics.json"), metrics);
    expect(await readRunFile(path.join(dir, "run.json"), RunRecord)).toEqual(run);
    expect(await readRunFile(path.join(dir, "metrics.json"), MetricsFile)).toEqual(metrics);
  });

  it("the version is package.json's", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    expect(SEIG_VERSION).toBe(pkg.version);
    expect(versions("3.4.1")).toEqual({ seig: pkg.version, node: process.version, blender: "3.4.1" });
  });

  it("a writer refuses a malformed record instead of leaving a file readers reject", async () => {
    const bad = { ...run, workingResolution: { width: 80, height: 60, samples: 8 } };
    await expect(
      writeRunJson(path.join(dir, "bad-run.json"), bad as unknown as RunRecordT),
    ).rejects.toThrow();
    await expect(readFile(path.join(dir, "bad-run.json"))).rejects.toThrow(/ENOENT/);
  });

  it("a malformed file read back is a one-line error naming the file and the field", async () => {
    const file = path.join(dir, "metrics-bad.json");
    await writeFile(file, JSON.stringify({ ...metrics, final: { ...report, psnr: "high" } }));
    await expect(readRunFile(file, MetricsFile)).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not a seig run file: final`),
    );
    await writeFile(file, "{ not json");
    await expect(readRunFile(file, MetricsFile)).rejects.toThrow(`${file} is not valid JSON`);
    expect(await readRunFile(path.join(dir, "absent.json"), MetricsFile)).toBeNull();
  });

  it("the event stream printed by --progress json reads back with its schema, and a stray line is refused", () => {
    const lines: string[] = [];
    const sink = jsonProgress((l) => lines.push(l));
    const events: ProgressEvent[] = [
      { type: "run-start", method: "offline", image: "a.png", outDir: "/r", stages: ["geometry"] },
      { type: "stage-start", stage: "geometry", index: 0, total: 1 },
      {
        type: "iteration",
        stage: "geometry",
        iteration: 3,
        bestLoss: 0.01,
        renders: 40,
        elapsedSeconds: 4,
        etaSeconds: null,
        fraction: 0.2,
      },
      {
        type: "iteration",
        stage: "geometry",
        iteration: 1,
        bestLoss: 0.02,
        renders: 3,
        elapsedSeconds: 9,
        etaSeconds: null,
        fraction: 0.5,
        tokens: 1200,
        costUsd: null,
      },
      { type: "best", stage: "geometry", loss: 0.009, image: "/r/live/best.png" },
      { type: "stage-end", stage: "geometry", bestLoss: 0.009, renders: 200, seconds: 20 },
      { type: "note", text: "hello" },
      { type: "run-end", outDir: "/r", seconds: 30, renders: 201, psnr: 27 },
    ];
    for (const e of events) sink(e);
    expect(lines.map((l) => ProgressEvent.parse(JSON.parse(l)))).toEqual(events);
    expect(ProgressEvent.safeParse({ type: "iteration", stage: "geometry" }).success).toBe(false);
    expect(ProgressEvent.safeParse({ type: "best", stage: "geometry", loss: 0.1 }).success).toBe(false);
  });
});
