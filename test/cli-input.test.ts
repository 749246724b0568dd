/**
 * Bad input as a new user gives it: each is refused with one line that names the option or
 * key and what is allowed, exit 2, never a stack or zod's wording. Outputs are never replaced
 * without --force. Real command line, real Blender where a command renders (tiny sizes).
 */
import { access, mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, runSeig, seigInProcess } from "./support/run-cli.ts";

const example = fileURLToPath(new URL("../examples/tabletop/program.py", import.meta.url));
let dir: string;

function expectRefused(result: CliResult, pattern: RegExp): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Too small|Too big|Invalid input|expected number/);
}

async function png(file: string, width: number, height: number): Promise<string> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels, 128);
  await sharp(pixels, { raw: { width, height, channels } }).png().toFile(file);
  return file;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-input-"));
});

describe("photos below what the method can use", () => {
  it("refuses a 2×2 PNG with one line and exit 2", async () => {
    const tiny = await png(path.join(dir, "tiny.png"), 2, 2);
    expectRefused(
      await runSeig(["reconstruct", tiny, "-o", path.join(dir, "tiny-run")]),
      /tiny\.png is 2×2 pixels; seig needs a photo at least 16 pixels on its shorter side/,
    );
  });

  it("refuses a photo too narrow to keep 16 pixels once scaled to the working size", async () => {
    const narrow = await png(path.join(dir, "narrow.png"), 20, 2000);
    expectRefused(
      await seigInProcess(["reconstruct", narrow, "-o", path.join(dir, "narrow-run")]),
      /narrow\.png is 20×2000 pixels, too narrow: .* it is 5 on the shorter, and seig needs 16/,
    );
  });
});

describe("missing and out-of-range options", () => {
  it("says -o <dir> is required for reconstruct, with either method", async () => {
    const photo = fileURLToPath(new URL("../examples/photos/clevr.png", import.meta.url));
    const required = /^seig: -o <dir> is required: the run folder to write$/m;
    expectRefused(await seigInProcess(["reconstruct", photo]), required);
    expectRefused(await seigInProcess(["reconstruct", photo, "--model", "openai:gpt-4o"]), required);
  });

  it("exits 2 on a missing argument or required option of any command", async () => {
    expectRefused(await seigInProcess(["render"]), /missing required argument 'program'/);
    expectRefused(await seigInProcess(["set", example]), /missing required argument 'assignments'/);
    expectRefused(
      await seigInProcess(["bench", "generate"]),
      /required option '--suite <name>' not specified/,
    );
    expectRefused(
      await seigInProcess(["edit", example, "make it blue"]),
      /required option '--model <model>'/,
    );
    expectRefused(
      await seigInProcess(["render", example, "--resolution", "9x9"]),
      /unknown option '--resolution'/,
    );
  });

  it("states the option and its whole range instead of zod's wording", async () => {
    const photo = path.join(dir, "photo.png");
    await png(photo, 64, 48);
    const run = ["reconstruct", photo, "-o", path.join(dir, "r")];
    expectRefused(
      await seigInProcess([...run, "--res", "5"]),
      /--res must be a whole number from 24 to 1024, got "5"/,
    );
    expectRefused(
      await seigInProcess([...run, "--seed", "-1"]),
      /--seed must be a whole number ≥ 0, got "-1"/,
    );
    expectRefused(
      await seigInProcess(["render", example, "--samples", "lots"]),
      /--samples must be a whole number from 1 to 4096, got "lots"/,
    );
    expectRefused(
      await seigInProcess([...run, "--model", "openai:gpt-4o", "--scaffolds", "0"]),
      /--scaffolds must be a whole number from 1 to 16, got "0"/,
    );
  });

  it("set refuses values outside a key's range, naming the key and the range", async () => {
    const out = ["-o", path.join(dir, "set.py")];
    const cases: [string, RegExp][] = [
      ["steel_ball.metallic=7", /steel_ball\.metallic must be a number from 0 to 1, got 7/],
      ["red_box.roughness=-3", /red_box\.roughness must be a number from 0 to 1, got -3/],
      ["red_box.size=-1,1,1", /red_box\.size\[0\] must be a number > 0, got -1/],
      ["ground.size=-1", /ground\.size must be a number > 0, got -1/],
      ["sun.elevation_deg=200", /sun\.elevation_deg must be a number from -90 to 90, got 200/],
      ["render.resolution=0,10", /render\.resolution\[0\] must be a whole number from 1 to 8192, got 0/],
    ];
    for (const [assignment, message] of cases)
      expectRefused(await seigInProcess(["set", example, assignment, ...out]), message);
    expect(await exists(path.join(dir, "set.py"))).toBe(false);
    const ok = await seigInProcess(["set", example, "steel_ball.metallic=0.5", ...out]);
    expect(ok.code).toBe(0);
  });

  it("relight refuses out-of-range sun values, naming the option and the range", async () => {
    const out = ["-o", path.join(dir, "relit.py"), "--no-render"];
    expectRefused(
      await seigInProcess(["relight", example, "--sun-elevation", "200", ...out]),
      /--sun-elevation must be a number from -90 to 90, got "200"/,
    );
    expectRefused(
      await seigInProcess(["relight", example, "--sun-strength", "-1", ...out]),
      /--sun-strength must be a number ≥ 0, got "-1"/,
    );
    expectRefused(
      await seigInProcess(["relight", example, "--sky", "dusk", ...out]),
      /--sky must be one of noon, sunset, overcast, night, got "dusk"/,
    );
  });
});

describe("outputs are created, and never replaced without --force", () => {
  it("relight -o newdir/x.py creates the folder; a second run refuses; --force replaces", async () => {
    const out = path.join(dir, "new", "deeper", "x.py");
    const args = ["relight", example, "-o", out, "--res", "24x18", "--samples", "1", "--concurrency", "1"];
    const first = await runSeig([...args, "--sky", "sunset"]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain(out);
    expect(await exists(path.join(dir, "new", "deeper", "x-render", "render.png"))).toBe(true);
    expectRefused(
      await runSeig([...args, "--sky", "night"]),
      /x\.py already exists: use --force to replace it/,
    );
    const forced = await runSeig([...args, "--sky", "night", "--force"]);
    expect(forced.code).toBe(0);
  }, 120_000);

  it("views -o into earlier views refuses; --force leaves no stale frame behind", async () => {
    const out = path.join(dir, "views");
    const args = ["views", example, "-o", out, "--res", "24x18", "--samples", "1", "--concurrency", "1"];
    expect((await runSeig([...args, "--orbit", "3"])).code).toBe(0);
    expectRefused(await runSeig([...args, "--orbit", "2"]), /already holds views: use --force to replace it/);
    await writeFile(path.join(out, "notes.txt"), "mine");
    expect((await runSeig([...args, "--orbit", "2", "--force"])).code).toBe(0);
    // orbit_02.png of the 3-view run would otherwise end up in a 2-view turntable.
    expect((await readdir(out)).sort()).toEqual(["notes.txt", "orbit_00.png", "orbit_01.png"]);
  }, 120_000);
});
