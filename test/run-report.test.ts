/**
 * report.html of real runs (offline, and the staged agent against the oracle double): each
 * stage's best program at the photo's resolution with every metric at that one resolution,
 * the photo once, the loss column filled, heatmaps and program diffs, orbit views, settings,
 * helpers folded — and nothing the page needs from outside itself.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../src/agent/run-agent.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { loadImage } from "../src/image/load.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";
import { MetricsFile, RunRecord, readRunFile } from "../src/run/files.ts";
import { agentSettings, withOracle } from "./support/agent-harness.ts";
import { renderProgram } from "./support/blender.ts";
import { renderClevrTarget } from "./support/clevr-target.ts";
import { renderTruth, THREE_THINGS } from "./support/oracle-scene.ts";

const STAGES = ["scaffold", "geometry", "material", "composition", "lighting"];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-report-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The inlined images of one class, by data-stage (or in order when they have none). */
function images(html: string, cls: string): { stage: string | null; bytes: Buffer }[] {
  const re = new RegExp(
    `<img class="${cls}"(?: data-stage="([\\w-]+)")? src="data:image/png;base64,([^"]+)"`,
    "g",
  );
  return [...html.matchAll(re)].map((m) => ({ stage: m[1] ?? null, bytes: Buffer.from(m[2]!, "base64") }));
}

async function size(bytes: Buffer | string): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width!, height: meta.height! };
}

/** The numbers in a stage's metric-table row, by cell class. */
function rowValues(html: string, stage: string): Record<string, number | null> {
  const row = new RegExp(`<tr data-stage="${stage}">(.*?)</tr>`).exec(html)?.[1];
  if (!row) throw new Error(`no metric row for ${stage}`);
  const out: Record<string, number | null> = {};
  for (const m of row.matchAll(/<td class="(?:metric )?([\w-]+)(?: none)?"(?: data-value="([^"]+)")?/g))
    out[m[1]!] = m[2] === undefined ? null : Number(m[2]);
  return out;
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** What every run's report must have, whatever the method. */
async function expectRichReport(out: string, stages: readonly string[]): Promise<string> {
  const html = await readFile(path.join(out, "report.html"), "utf8");
  const run = (await readRunFile(path.join(out, "run.json"), RunRecord))!;
  const metrics = (await readRunFile(path.join(out, "metrics.json"), MetricsFile))!;
  const photo = await size(path.join(out, "target.png"));

  // Self-contained: nothing fetched, nothing run.
  expect(html).not.toMatch(/<script|<link|src="http|url\(http/);
  // The photo once.
  const targetUrl = (await readFile(path.join(out, "target.png"))).toString("base64");
  expect(html.split(targetUrl).length - 1).toBe(1);

  const renders = images(html, "stage-render");
  expect(renders.map((r) => r.stage)).toEqual(stages);
  for (const r of renders) {
    // At the photo's resolution, and the very file the run folder keeps for the web app.
    expect(await size(r.bytes), r.stage!).toEqual(photo);
    expect(r.bytes.equals(await readFile(path.join(out, "stages", r.stage!, "render.png")))).toBe(true);
  }
  const heatmaps = images(html, "heatmap");
  expect(heatmaps.map((h) => h.stage)).toEqual(["final", ...stages]);
  for (const h of heatmaps) expect(await size(h.bytes)).toEqual(photo);

  const target = await loadImage(path.join(out, "target.png"), { maxSide: 0 });
  for (const stage of stages) {
    const row = rowValues(html, stage);
    const recorded = metrics.stageRenders![stage]!.metrics!;
    expect(recorded).toMatchObject(photo);
    // PSNR, SSIM, LPIPS all there, and they are the recorded ones of render.png at the photo's size.
    expect(row["psnr"]).toBe(recorded.psnr);
    expect(row["ssim"]).toBe(recorded.ssim);
    expect(row["lpips"]).toBe(recorded.lpips);
    expect(row["lpips"], `${stage} LPIPS (SEIG_LPIPS_MODEL)`).toEqual(expect.any(Number));
    const render = await loadImage(path.join(out, "stages", stage, "render.png"), { maxSide: 0 });
    expect(recorded.psnr!).toBeCloseTo(psnrFromMse(mse(target, render)), 6);
    // The loss column: the number run.json / metrics.json hold.
    const stagesRecord = run.stages as Record<string, { loss?: number | null }>;
    const loss = stagesRecord[stage]?.loss ?? metrics.stages[stage]?.loss;
    expect(row["loss"]).toEqual(expect.any(Number));
    expect(row["loss"]).toBe(loss);
  }
  // CLIP/DINO are off in these runs: the report says so instead of leaving blanks.
  expect(html).toMatch(/<b>CLIP<\/b> unavailable: [^<]+/);

  // A program diff for every stage after the first, none for the first.
  const diffs = [...html.matchAll(/<div class="diff-section" data-stage="(\w+)">/g)].map((m) => m[1]);
  expect(diffs).toEqual(stages.slice(1));

  // Orbit views: in the page and in the folder.
  const orbit = images(html, "orbit");
  expect(orbit.length).toBe(4);
  expect(run.orbitViews!.images).toEqual([0, 1, 2, 3].map((i) => `views/orbit_0${i}.png`));
  for (const [i, view] of orbit.entries()) {
    expect(view.bytes.equals(await readFile(path.join(out, run.orbitViews!.images[i]!)))).toBe(true);
    expect(await size(view.bytes)).toEqual({ width: run.orbitViews!.width, height: run.orbitViews!.height });
  }
  // They look elsewhere than the photo's camera: no view is the final render's picture.
  const final = await loadImage(path.join(out, "final.png"), { maxSide: 0 });
  const first = await loadImage(path.join(out, "views/orbit_00.png"), { maxSide: 0 });
  if (first.width === final.width) expect(psnrFromMse(mse(final, first))).toBeLessThan(30);

  // The program: helpers and footer folded, PARAMS and the four sections in the open.
  const program = html.slice(html.indexOf("<h2>Program</h2>"));
  const helpers = /<details class="helpers">([\s\S]*?)<\/details>/.exec(program)![1]!;
  expect(text(helpers)).toContain("def link_mesh(");
  const open = text(program.replace(/<details[\s\S]*?<\/details>/g, ""));
  expect(open).not.toContain("def link_mesh(");
  expect(open).not.toContain("def seig_main(");
  expect(open).toMatch(/^PARAMS = \{/m);
  for (const fn of ["build_geometry", "build_materials", "compose", "build_lighting"])
    expect(open).toContain(`def ${fn}(P):`);

  // Settings and totals.
  expect(text(html)).toMatch(/wall time\d+\.\d s/);
  expect(run.reportRenders!.stages).toBeGreaterThanOrEqual(1);
  expect(run.reportRenders!.stages).toBeLessThanOrEqual(stages.length);
  expect(run.reportRenders!.orbit).toBe(4);
  return html;
}

describe("report.html", () => {
  it("of an offline run: every stage at the photo's resolution, scored like the final", async () => {
    const target = await renderClevrTarget(dir, 11);
    const out = path.join(dir, "offline");
    await reconstructOffline({
      ...DEFAULT_OFFLINE,
      finalSide: 96,
      finalSamples: 16,
      workingSide: 48,
      semanticMetrics: false,
      image: target,
      outDir: out,
      budget: { kind: "renders", renders: 200 },
    });
    const html = await expectRichReport(out, STAGES);
    expect(html).toContain("<th>budget</th><td>200</td>");

    // The last stage's program is the final program: same picture, same numbers, not rendered twice.
    const metrics = (await readRunFile(path.join(out, "metrics.json"), MetricsFile))!;
    expect(metrics.stageRenders!["lighting"]).toMatchObject({ sameAs: "final", metrics: metrics.final });
    // A stage render is its program.py rendered as the final is (16 samples, seed 0), standalone.
    const again = path.join(dir, "scaffold-again.png");
    await renderProgram(path.join(out, "stages/scaffold/program.py"), again, 96, 72, 16, 0);
    const a = await sharp(path.join(out, "stages/scaffold/render.png")).raw().toBuffer();
    expect((await sharp(again).raw().toBuffer()).equals(a)).toBe(true);
  }, 240_000);

  it("of a staged agent run: also the verifier's checklist per stage", async () => {
    const pool = await BlenderPool.start({ size: 2, writableDirs: [dir] });
    try {
      const truth = await renderTruth(pool, THREE_THINGS, path.join(dir, "truth"), {
        width: 64,
        height: 48,
        samples: 16,
      });
      const result = await withOracle({ pool }, {}, (runtime) =>
        runAgent(agentSettings(dir, truth, "agent"), runtime),
      );
      const html = await expectRichReport(result.outDir, STAGES);
      for (const stage of STAGES.slice(1)) {
        const section = new RegExp(`<section class="stage" id="stage-${stage}">([\\s\\S]*?)</section>`).exec(
          html,
        )![1]!;
        expect(section, stage).toMatch(/verifier: <b>approved<\/b>|verifier checklist \(not approved\)/);
      }
      expect(html).toContain("<h2>Rounds</h2>");
    } finally {
      await pool.close();
    }
  }, 240_000);
});
