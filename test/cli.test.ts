import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runSeig } from "./support/run-cli.ts";

const example = fileURLToPath(new URL("../examples/tabletop/program.py", import.meta.url));
let dir: string;

function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-cli-"));
});

describe("seig command line", () => {
  it("prints help with exit 0", async () => {
    const result = await runSeig(["render", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--samples");
  });

  it("rejects a text file named .png with one line and exit 2", async () => {
    const fake = path.join(dir, "fake.png");
    await writeFile(fake, "this is not an image");
    expectOneLineError(await runSeig(["compare", fake, fake]), 2, /fake\.png/);
  });

  it("rejects a bad option value with one line and exit 2", async () => {
    expectOneLineError(await runSeig(["render", example, "--res", "big"]), 2, /--res must look like 640x480/);
  });

  it("rejects a file that is not a scene program with one line and exit 2", async () => {
    const notProgram = path.join(dir, "notes.py");
    await writeFile(notProgram, "print('hello')\n");
    expectOneLineError(await runSeig(["render", notProgram]), 2, /PARAMS|seig:/);
  });

  it("says how to install Blender when it is missing, exit 1", async () => {
    const result = await runSeig(["render", example, "-o", path.join(dir, "r")], {
      BLENDER_PATH: "/nonexistent/blender",
    });
    expectOneLineError(result, 1, /apt-get install -y blender/);
  });

  it("compare --json prints psnr, ssim and lpips", async () => {
    const render = await runSeig([
      "render",
      example,
      "-o",
      path.join(dir, "r"),
      "--res",
      "64x48",
      "--samples",
      "2",
    ]);
    expect(render.code).toBe(0);
    const image = path.join(dir, "r", "render.png");
    const result = await runSeig(["compare", image, image, "--json", "--no-semantic"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ssim).toBeCloseTo(1, 9);
    expect(report.lpips).toBeCloseTo(0, 4);
    expect(report.psnr).toBe(100);
    expect(report.unavailable).toHaveProperty("clip");
  });
});
