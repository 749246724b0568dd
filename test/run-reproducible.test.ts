/**
 * Reproducible offline runs, end to end through the real command line and real Blender: the
 * same photo, seed and options give the same program.py bytes and final.png pixels whatever
 * the pool's size and the machine's load, and a run stopped mid-stage (Ctrl-C's SIGTERM, then
 * kill -9) resumes to that same program.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunStatus } from "../src/run/status.ts";
import { runSeig, startSeig } from "./support/run-cli.ts";

const example = fileURLToPath(new URL("../examples/photos/clevr.png", import.meta.url));
let dir: string;
let photo: string;
let reference: Promise<string> | null = null;

/** Tiny: two objects in a 64×48 photo, 32 px working renders, 200 renders in all (about 70 of them initialisation). */
function reconstructArgs(out: string): string[] {
  return ["reconstruct", photo, "-o", out, "--res", "32", "--budget", "200", "--no-semantic", "--json"];
}

/** The uninterrupted run every other run is compared with: one worker, nothing else loading the machine. */
function referenceRun(): Promise<string> {
  reference ??= (async () => {
    const out = path.join(dir, "reference");
    const result = await runSeig([...reconstructArgs(out), "--concurrency", "1"]);
    expect(result.code, result.stderr).toBe(0);
    return out;
  })();
  return reference;
}

async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

async function runJson(out: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(out, "run.json"), "utf8"));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-repro-"));
  photo = path.join(dir, "photo.png");
  // The example's right half: the cylinder and the small sphere.
  await sharp(example)
    .extract({ left: 160, top: 40, width: 160, height: 120 })
    .resize(64, 48)
    .png()
    .toFile(photo);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("reproducible offline runs", () => {
  it("gives the same program.py and final.png with 1 worker, and with 2 while another process burns a core", async () => {
    const a = await referenceRun();
    const b = path.join(dir, "loaded");
    const burner = spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
    let result: Awaited<ReturnType<typeof runSeig>>;
    try {
      result = await runSeig([...reconstructArgs(b), "--concurrency", "2"]);
    } finally {
      burner.kill("SIGKILL");
    }
    expect(result.code, result.stderr).toBe(0);
    const programA = await readFile(path.join(a, "program.py"));
    expect((await readFile(path.join(b, "program.py"))).equals(programA)).toBe(true);
    expect((await pixels(path.join(b, "final.png"))).equals(await pixels(path.join(a, "final.png")))).toBe(
      true,
    );
    // Both spent the whole budget, counted the same way.
    expect((await runJson(b))["renders"]).toBe((await runJson(a))["renders"]);
    expect((await runJson(a))["renders"]).toBeLessThanOrEqual(200);
  }, 240_000);

  it("resumes a run stopped mid-stage by SIGTERM and then by kill -9 to the same program", async () => {
    const a = await referenceRun();
    const out = path.join(dir, "stopped");
    const first = startSeig([...reconstructArgs(out), "--concurrency", "2"]);
    await first.waitForEvent((e) => e["type"] === "iteration" && e["stage"] === "geometry");
    first.child.kill("SIGTERM");
    const stopped = await first.exited;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted; continue it with: seig reconstruct --resume /);
    const interrupted = await runJson(out);
    expect(interrupted["status"]).toBe("interrupted");
    expect(interrupted["resume"]).toBe(`seig reconstruct --resume ${out}`);

    const second = startSeig(["reconstruct", "--resume", out, "--json"]);
    await second.waitForEvent((e) => e["type"] === "iteration" && e["stage"] === "material");
    second.child.kill("SIGKILL");
    await second.exited;
    // kill -9 leaves `running` behind; its dead process tells a reader the truth.
    expect((await runJson(out))["status"]).toBe("running");
    const reading = await readRunStatus(out);
    expect(reading.kind === "run" && reading.status).toBe("interrupted");
    // The best program so far is on disk.
    expect(await readFile(path.join(out, "program.py"), "utf8")).toMatch(/^# seig scene program v1/);

    const last = await runSeig(["reconstruct", "--resume", out, "--quiet"]);
    expect(last.code, last.stderr).toBe(0);
    expect((await runJson(out))["status"]).toBe("done");
    expect(
      (await readFile(path.join(out, "program.py"))).equals(await readFile(path.join(a, "program.py"))),
    ).toBe(true);
    expect((await pixels(path.join(out, "final.png"))).equals(await pixels(path.join(a, "final.png")))).toBe(
      true,
    );
  }, 300_000);
});
