import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import {
  compare,
  InputError,
  openRun,
  type ReconstructEvent,
  RunInterrupted,
  reconstruct,
  render,
  resume,
  SharedPool,
  setParams,
} from "../src/index.ts";
import { programBody } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { createRandom } from "../src/random.ts";
import { STAGES } from "../src/stages/index.ts";

let dir: string;
let target: string;
const pool = new SharedPool({ size: 2 });
const tiny = { finalSide: 96, finalSamples: 8, workingSide: 48, semanticMetrics: false } as const;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-api-"));
  const blender = await pool.get();
  const reply = await blender.run({
    body: programBody(emitProgram(clevrScene(createRandom(5)).spec)),
    render: { width: 96, height: 72, samples: 16, views: [{ name: "target" }] },
  });
  expect(reply.ok).toBe(true);
  target = path.join(dir, "target.png");
  await sharp(reply.images[0]!.path).toFile(target);
});

afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe("library API", () => {
  it("reconstructs offline with typed events on a shared pool, and reads the finished run back", async () => {
    const handle = reconstruct(target, { ...tiny, outDir: path.join(dir, "run"), budget: 40, pool });
    const events: ReconstructEvent[] = [];
    for await (const event of handle) events.push(event);
    const run = await handle.result;
    expect(handle.status).toBe("done");
    expect(events[0]).toMatchObject({ type: "run-start", method: "offline", outDir: handle.outDir });
    expect(
      events.filter((e) => e.type === "stage-start").map((e) => e.type === "stage-start" && e.stage),
    ).toEqual(["geometry", "material", "composition", "lighting"]);
    const end = events.at(-1)!;
    expect(end.type).toBe("run-end");
    expect(run.status).toBe("done");
    expect(run.method).toBe("offline");
    expect(run.stages).toEqual(["scaffold", "geometry", "material", "composition", "lighting"]);
    expect(run.program).toContain("# --- seig:lighting ---");
    expect(run.metrics!.final.psnr).toBe(end.type === "run-end" ? end.psnr : null);
    expect(run.run!.target).toMatchObject({ width: 96, height: 72 });
    // A second iterator replays the stream from the start.
    const again: ReconstructEvent[] = [];
    for await (const event of handle) again.push(event);
    expect(again).toEqual(events);

    const views = await render(
      { path: run.dir },
      { outDir: path.join(dir, "views"), width: 64, height: 48, samples: 4, views: 1, pool },
    );
    expect(views.images.map((i) => i.name)).toEqual(["render", "orbit_00"]);
    expect(await sharp(views.images[0]!.path).metadata()).toMatchObject({ width: 64, height: 48 });
    const report = await compare(target, run.files.final, { semantic: false });
    expect(report.psnr).toBeCloseTo(run.metrics!.final.psnr!, 6);
    const edited = await setParams({ source: run.program! }, { "sun.strength": 2.5 });
    expect(edited).toMatch(/"sun\.strength": 2\.5/);
  });

  it("aborts a running reconstruction: events end interrupted, result rejects, the folder keeps the scaffold; resume() finishes it", async () => {
    const outDir = path.join(dir, "aborted");
    const handle = reconstruct(target, { ...tiny, outDir, budget: 160, pool });
    const events: ReconstructEvent[] = [];
    for await (const event of handle) {
      events.push(event);
      if (event.type === "stage-start") handle.abort();
    }
    await expect(handle.result).rejects.toBeInstanceOf(RunInterrupted);
    expect(handle.status).toBe("interrupted");
    expect(events.at(-1)).toMatchObject({ type: "run-interrupted", outDir: handle.outDir });
    expect(events.some((e) => e.type === "stage-end" || e.type === "run-end")).toBe(false);
    const run = await openRun(outDir);
    // run.json was written when the run started, and says how it ended.
    expect(run.status).toBe("interrupted");
    expect(run.stages).toEqual(["scaffold"]);
    await expect(access(run.files.final)).rejects.toThrow();
    // The shared pool is still usable after the abort.
    const after = await render(
      { path: path.join(outDir, "stages", "scaffold") },
      { outDir: path.join(dir, "after"), width: 32, height: 24, samples: 2, pool },
    );
    expect(after.images).toHaveLength(1);

    // resume() continues it from its checkpoint to a finished run, on the same shared pool.
    const resumed = await resume(outDir, { pool });
    const more: ReconstructEvent[] = [];
    for await (const event of resumed) more.push(event);
    const done = await resumed.result;
    expect(resumed.status).toBe("done");
    expect(done.status).toBe("done");
    expect(done.stages).toEqual(["scaffold", ...STAGES]);
    expect(more.some((e) => e.type === "stage-end")).toBe(true);
    await access(done.files.final);
    await expect(resume(path.join(dir, "after"))).rejects.toThrow(/no interrupted run there/);
  });

  it("refuses a malformed run.json with an InputError naming the file", async () => {
    const bad = path.join(dir, "bad");
    await rm(bad, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(bad));
    await writeFile(path.join(bad, "run.json"), JSON.stringify({ method: "offline" }));
    await expect(openRun(bad)).rejects.toThrow(InputError);
    await expect(openRun(bad)).rejects.toThrow(/run\.json is not a seig run file: image/);
    await expect(openRun(path.join(dir, "nowhere"))).rejects.toThrow(/not a seig run folder/);
  });
});
