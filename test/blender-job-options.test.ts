/**
 * A program that draws random numbers renders the same pixels on any worker, after any other
 * job, and alone in `blender -b -P`: the worker seeds Python's random (and mathutils.noise)
 * per job, and the canonical footer seeds again in build(). Search renders skip the fingerprint.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBlender } from "../src/blender/find.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { programBody } from "../src/program/assemble.ts";
import { sampleProgram } from "./program-fixture.ts";

const run = promisify(execFile);
const RENDER = { width: 48, height: 36, samples: 4, seed: 0 };

/** The fixture with its objects jittered by random draws in compose(). */
function randomProgram(reseed = ""): string {
  const source = sampleProgram()
    .replace("import bpy, bmesh, math\n", "import bpy, bmesh, math\nimport random\n")
    .replace(
      "def compose(P):\n",
      `def compose(P):\n${reseed}    jitter = [random.uniform(-0.6, 0.6) for _ in range(4)]\n`,
    )
    .replace(
      /place\("mug", P\["mug\.location"\]/,
      'place("mug", [P["mug.location"][0] + jitter[0], P["mug.location"][1] + jitter[1], P["mug.location"][2]]',
    )
    .replace(
      /place\("ball", P\["ball\.location"\]/,
      'place("ball", [P["ball.location"][0] + jitter[2], P["ball.location"][1] + jitter[3], P["ball.location"][2]]',
    );
  if (!source.includes("jitter[3]")) throw new Error("fixture: the compose() section changed shape");
  return source;
}

let scratch: string;
let first: BlenderPool;
let second: BlenderPool;

async function pixels(pool: BlenderPool, source: string, name: string): Promise<Buffer> {
  const outDir = path.join(scratch, name);
  const reply = await pool.run({ body: programBody(source), outDir, render: RENDER });
  expect(reply.error?.message ?? null).toBeNull();
  return sharp(reply.images[0]!.path).raw().toBuffer();
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "seig-random-"));
  [first, second] = await Promise.all([
    BlenderPool.start({ size: 1, writableDirs: [scratch] }),
    BlenderPool.start({ size: 1, writableDirs: [scratch] }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

describe("random in scene programs", () => {
  it("gives identical pixels on one worker after different jobs, on another worker, and alone", async () => {
    const source = randomProgram();
    const a = await pixels(first, source, "a");
    // Another job in between, itself drawing random numbers on the same worker.
    await pixels(first, randomProgram("    random.seed(7)\n"), "other");
    const b = await pixels(first, source, "b");
    const c = await pixels(second, source, "c");
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);

    const file = path.join(scratch, "standalone.py");
    await writeFile(file, source);
    const out = path.join(scratch, "standalone.png");
    const blender = await findBlender();
    await run(
      blender.path,
      ["-b", "--factory-startup", "-P", file, "--", "--render", out, "--res", "48", "36", "--samples", "4"],
      {
        timeout: 60_000,
      },
    );
    expect(
      (
        await sharp(await readFile(out))
          .raw()
          .toBuffer()
      ).equals(a),
    ).toBe(true);
  }, 120_000);

  it("shows the draws in the pixels (another seed moves the objects)", async () => {
    const a = await pixels(first, randomProgram(), "d");
    const moved = await pixels(first, randomProgram("    random.seed(1)\n"), "e");
    expect(moved.equals(a)).toBe(false);
  }, 60_000);
});

describe("fingerprint per job", () => {
  it("is computed by default and skipped when a job asks for pixels only", async () => {
    const body = programBody(sampleProgram());
    const full = await first.run({ body, outDir: path.join(scratch, "f1"), render: RENDER });
    const bare = await first.run({
      body,
      outDir: path.join(scratch, "f2"),
      render: RENDER,
      fingerprint: false,
    });
    expect(Object.keys(full.fingerprint?.geometry ?? {})).toEqual(expect.arrayContaining(["mug", "ball"]));
    expect(full.objects.map((o) => o.name)).toEqual(expect.arrayContaining(["mug", "ball"]));
    expect(bare.ok).toBe(true);
    expect(bare.fingerprint).toBeNull();
    expect(bare.objects).toEqual([]);
    const [a, b] = await Promise.all([full, bare].map((r) => sharp(r.images[0]!.path).raw().toBuffer()));
    expect(b!.equals(a!)).toBe(true);
  }, 60_000);
});
