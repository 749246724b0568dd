import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateSuite } from "../src/bench/generate.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { main } from "../src/cli/main.ts";

describe("seig eval --truth", () => {
  let dir: string;
  const scene = () => path.join(dir, "suite", "tabletop_000");
  const run = () => path.join(dir, "run");

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "seig-eval-truth-"));
    const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
    try {
      await generateSuite(pool, {
        suite: "tabletop",
        n: 1,
        seed: 2,
        outDir: path.join(dir, "suite"),
        samples: 1,
      });
    } finally {
      await pool.close();
    }
    // The "reconstruction" is the truth's own program and render.
    await mkdir(run());
    await copyFile(path.join(scene(), "program.py"), path.join(run(), "program.py"));
    await copyFile(path.join(scene(), "target.png"), path.join(run(), "final.png"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const evaluate = async (...extra: string[]) => {
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((t: string) => void out.push(t));
    const write = vi.spyOn(process.stdout, "write").mockImplementation((t) => out.push(String(t)) > 0);
    const code = await main([
      "node",
      "seig",
      "eval",
      path.join(scene(), "target.png"),
      run(),
      "--no-semantic",
      ...extra,
    ]);
    log.mockRestore();
    write.mockRestore();
    return { code, text: out.join("\n") };
  };

  it("adds zero 3D errors for the truth's own program to the JSON report", async () => {
    const { code, text } = await evaluate("--json", "--truth", path.join(scene(), "truth.json"));
    expect(code).toBe(0);
    const report = JSON.parse(text);
    expect(report.ssim).toBeCloseTo(1, 6);
    expect(report.errors3d.recall).toBe(1);
    expect(report.errors3d.countCorrect).toBe(true);
    expect(report.errors3d.positionError).toBe(0);
    expect(report.errors3d.missed).toEqual([]);
  });

  it("appends the 3D rows to the CSV", async () => {
    const { code, text } = await evaluate("--csv", "--truth", path.join(scene(), "truth.json"));
    expect(code).toBe(0);
    expect(text).toMatch(/^positionErr,0,lower,$/m);
    expect(text).toMatch(/^recall,1,higher,"\d+\/\d+ found \(table→table/m);
  });

  it("rejects a truth file that does not exist (exit 2)", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { code } = await evaluate("--truth", path.join(dir, "missing.json"));
    err.mockRestore();
    expect(code).toBe(2);
  });
});
