/**
 * Run folders are never silently lost or mixed, and every run says how it compares with the
 * flat mean-colour image — through the real command line, with real Blender renders.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runSeig } from "./support/run-cli.ts";

const example = fileURLToPath(new URL("../examples/photos/clevr.png", import.meta.url));
let dir: string;
let photo: string;

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}

async function json(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, "utf8"));
}

/** A folder as a finished run leaves it, plus files other commands add beside a run's own. */
async function previousRun(folder: string, status: Record<string, unknown> = {}): Promise<void> {
  await mkdir(path.join(folder, "stages", "geometry"), { recursive: true });
  const now = new Date().toISOString();
  await writeFile(
    path.join(folder, "run.json"),
    JSON.stringify({
      status: "done",
      method: "offline",
      pid: 1,
      host: os.hostname(),
      startedAt: now,
      heartbeatAt: now,
      ...status,
    }),
  );
  await writeFile(path.join(folder, "program.py"), "# an old program\n");
  await writeFile(path.join(folder, "program.relit.py"), "# an old relit program\n");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-run-folder-"));
  photo = path.join(dir, "photo.png");
  await sharp(example)
    .extract({ left: 160, top: 40, width: 160, height: 120 })
    .resize(48, 36)
    .png()
    .toFile(photo);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("run folders", () => {
  it("a photo that cannot be read leaves no run folder behind", async () => {
    const fake = path.join(dir, "notes.png");
    await writeFile(fake, "not an image");
    const out = path.join(dir, "never");
    const result = await runSeig(["reconstruct", fake, "-o", out]);
    expectOneLineError(result, /notes\.png/);
    expect(await exists(out)).toBe(false);
  });

  it("refuses a folder holding a previous run, or any other files, or a live run; --force replaces a run", async () => {
    const out = path.join(dir, "old-run");
    await previousRun(out);
    const args = ["reconstruct", photo, "-o", out, "--no-semantic", "--res", "24"];
    expectOneLineError(
      await runSeig(args),
      /-o .*old-run holds a previous run \(done\); use --force to replace it/,
    );
    expect(await readFile(path.join(out, "program.relit.py"), "utf8")).toContain("old relit");

    const notes = path.join(dir, "notes");
    await mkdir(notes);
    await writeFile(path.join(notes, "thesis.tex"), "years of work");
    await writeFile(path.join(notes, "program.py"), "# a program of one's own, not a run");
    expectOneLineError(
      await runSeig(["reconstruct", photo, "-o", notes, "--force"]),
      /holds no seig run; choose a new or empty folder/,
    );
    expect(await readFile(path.join(notes, "thesis.tex"), "utf8")).toBe("years of work");

    const live = path.join(dir, "live");
    await previousRun(live, { status: "running", pid: process.pid });
    expectOneLineError(
      await runSeig(["reconstruct", photo, "-o", live, "--force"]),
      /holds a run still in progress \(pid \d+\)/,
    );

    // --force empties the folder first; --time-limit ends the run at once, gracefully.
    const forced = await runSeig([...args, "--force", "--time-limit", "0.01", "--quiet"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await exists(path.join(out, "program.relit.py"))).toBe(false);
    expect(await exists(path.join(out, "checkpoint.json"))).toBe(false);
    const run = await json(path.join(out, "run.json"));
    expect(run["status"]).toBe("done");
    expect(run["cut"]).toMatchObject({ reason: "time-limit", stage: "initialisation" });
    expect(await readFile(path.join(out, "program.py"), "utf8")).toMatch(/^# seig scene program v1/);
    expect(await exists(path.join(out, "final.png"))).toBe(true);
  }, 120_000);

  it("compares every run with the flat mean-colour image and warns when it barely beats it", async () => {
    // Faint fine stripes: a texture, where the method builds objects on a ground.
    const w = 48;
    const h = 36;
    const stripes = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) stripes.set((i % w) % 4 < 2 ? [150, 130, 110] : [128, 118, 104], i * 3);
    const image = path.join(dir, "stripes.png");
    await sharp(stripes, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(image);
    const out = path.join(dir, "stripes");
    // A small budget keeps the test quick; the photo, not the budget, is what no run can do well.
    const result = await runSeig([
      "reconstruct",
      image,
      "-o",
      out,
      "--no-semantic",
      "--budget",
      "30",
      "--quiet",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: the result is not clearly better than a flat image of the photo's mean colour \(PSNR [+−]\d+\.\d\d dB, LPIPS [+−]\d\.\d{3} against it, .*\): this photo is outside what the offline method reconstructs well$/m,
    );
    const metrics = await json(path.join(out, "metrics.json"));
    const flat = metrics["flat"] as Record<string, unknown>;
    const final = metrics["final"] as { psnr: number; lpips: number };
    const flatMetrics = flat["flat"] as { psnr: number; lpips: number; ssim: number };
    expect(flat["weak"]).toBe(true);
    expect(flat["psnrGainDb"]).toBeCloseTo(final.psnr - flatMetrics.psnr, 10);
    expect(flat["lpipsGain"]).toBeCloseTo(flatMetrics.lpips - final.lpips, 10);
    expect(flatMetrics.ssim).toBeGreaterThan(-1);
    const report = await readFile(path.join(out, "report.html"), "utf8");
    expect(report).toContain('class="warning"');
    expect(report).toContain("flat (mean colour)");
    expect(await exists(path.join(out, "flat.png"))).toBe(true);
  }, 120_000);
});

describe("bench run output", () => {
  it("resumes with the same options and refuses other options with one line", async () => {
    const bench = path.join(dir, "bench");
    await mkdir(bench);
    await sharp(photo).toFile(path.join(bench, "crop.png"));
    const out = path.join(dir, "bench-out");
    // --one-shot: the offline scaffold alone (40 renders at most), the quickest real method run.
    const args = ["bench", "run", bench, "--method", "offline", "--one-shot", "--budget", "40", "-o", out];
    const first = await runSeig(args);
    expect(first.code, first.stderr).toBe(0);
    const scoreFile = path.join(out, "scenes", "crop", "score.json");
    const score = await readFile(scoreFile, "utf8");

    expectOneLineError(
      await runSeig([...args, "--seed", "3"]),
      /-o .*bench-out holds a bench run with other options \(--seed 0 there, 3 now\); rerun with its options to resume it, or use --force to replace it/,
    );
    // Same options: resumed, the finished scene kept as it was.
    const again = await runSeig(args);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(scoreFile, "utf8")).toBe(score);
  }, 120_000);
});
