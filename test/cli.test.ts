import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/seig.js", import.meta.url));
const example = fileURLToPath(new URL("../examples/tabletop/program.py", import.meta.url));
let dir: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function seig(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile("node", [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function expectOneLineError(result: Result, code: number, pattern: RegExp): void {
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
    const result = await seig(["render", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--samples");
  });

  it("rejects a text file named .png with one line and exit 2", async () => {
    const fake = path.join(dir, "fake.png");
    await writeFile(fake, "this is not an image");
    expectOneLineError(await seig(["compare", fake, fake]), 2, /fake\.png/);
  });

  it("rejects a bad option value with one line and exit 2", async () => {
    expectOneLineError(await seig(["render", example, "--res", "big"]), 2, /--res must look like 640x480/);
  });

  it("rejects a file that is not a scene program with one line and exit 2", async () => {
    const notProgram = path.join(dir, "notes.py");
    await writeFile(notProgram, "print('hello')\n");
    expectOneLineError(await seig(["render", notProgram]), 2, /PARAMS|seig:/);
  });

  it("says how to install Blender when it is missing, exit 1", async () => {
    const result = await seig(["render", example, "-o", path.join(dir, "r")], { BLENDER_PATH: "/nonexistent/blender" });
    expectOneLineError(result, 1, /apt-get install -y blender/);
  });

  it("compare --json prints psnr, ssim and lpips", async () => {
    const render = await seig(["render", example, "-o", path.join(dir, "r"), "--res", "64x48", "--samples", "2"]);
    expect(render.code).toBe(0);
    const image = path.join(dir, "r", "render.png");
    const result = await seig(["compare", image, image, "--json", "--no-semantic"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ssim).toBeCloseTo(1, 9);
    expect(report.lpips).toBeCloseTo(0, 4);
    expect(report.psnr).toBe(100);
    expect(report.unavailable).toHaveProperty("clip");
  });
});
