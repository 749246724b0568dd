import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suiteProgram } from "../src/bench/generate.ts";
import { keysOwnedBy } from "../src/program/ownership.ts";
import { parseProgram } from "../src/program/parse.ts";
import { STAGES } from "../src/stages/index.ts";
import { call, connectSeig, type McpSession, text } from "./support/mcp-client.ts";
import { perturbedSpec } from "./support/oracle.ts";
import { runSeig } from "./support/run-cli.ts";

let root: string;
let mcp: McpSession;
const scene = "suite/clevr_000";
// The suite's scene 0 (seed 0) is the truth; the session starts from the truth with every size,
// colour, position and light perturbed, and the scripted assistant submits the truth's sections.
const truth = parseProgram(suiteProgram("clevr", 0, 0).source);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "seig-mcp-session-"));
  const generated = await runSeig([
    "bench",
    "generate",
    "--suite",
    "clevr",
    "--n",
    "1",
    "--samples",
    "8",
    "--out",
    path.join(root, "suite"),
  ]);
  expect(generated.code, generated.stderr).toBe(0);
  const { emitProgram } = await import("../src/program/emit.ts");
  await writeFile(
    path.join(root, "scaffold.py"),
    emitProgram(perturbedSpec(suiteProgram("clevr", 0, 0).scene.spec)),
  );
  mcp = await connectSeig(root);
});

afterAll(async () => {
  await mcp?.close();
  await rm(root, { recursive: true, force: true });
});

function truthSubmission(stage: (typeof STAGES)[number]) {
  const params = Object.fromEntries(keysOwnedBy(truth, stage).map((k) => [k, truth.params[k]]));
  return { section: truth.sections[stage], params };
}

describe("a staged session driven by a scripted assistant over MCP", () => {
  it("improves stage by stage, rejects an out-of-scope edit by its fingerprint, and writes a run folder seig can render and score", async () => {
    const start = await call(mcp.client, "start_session", {
      photo: `${scene}/target.png`,
      scaffold_path: "scaffold.py",
      working_side: 96,
      final_side: 160,
      samples: 8,
    });
    expect(start.isError, text(start)).toBeFalsy();
    const { session_id, psnr: scaffoldPsnr } = start.structuredContent as {
      session_id: string;
      psnr: number;
    };
    const psnrs = [scaffoldPsnr];
    for (const stage of STAGES) {
      const brief = await call(mcp.client, "get_stage_brief", { session_id });
      expect(brief.structuredContent).toMatchObject({ stage });
      expect(brief.content.filter((c) => c.type === "image")).toHaveLength(3);
      if (stage === "geometry") {
        // Sizes further from the truth than the scaffold's: reported, not kept.
        const worse = truthSubmission("geometry");
        const params = Object.fromEntries(
          Object.entries(worse.params).map(([k, v]) => [
            k,
            k.endsWith(".size") && Array.isArray(v) ? v.map((x) => Number(x) * 2.5) : v,
          ]),
        );
        const regressed = await call(mcp.client, "submit_section", {
          session_id,
          section: worse.section,
          params,
        });
        expect(regressed.structuredContent).toMatchObject({
          outcome: "regression",
          kept: false,
          best_psnr: scaffoldPsnr,
        });
        expect(text(regressed)).toMatch(/scores worse than the current scene .*insist: true/);
      }
      if (stage === "material") {
        const good = truthSubmission("material");
        const first = truth.sections.geometry.match(/primitive\("(\w+)"/)![1]!;
        const sneaky = `${good.section.trimEnd()}\n    bpy.data.objects["${first}"].location.z += 0.5\n`;
        const rejected = await call(mcp.client, "submit_section", {
          session_id,
          section: sneaky,
          params: good.params,
        });
        expect(rejected.structuredContent).toMatchObject({ outcome: "out-of-scope", kept: false });
        // compose() overwrites the location afterwards; the fingerprint taken after the material
        // section still sees the write (the agent's rule), so it is rejected all the same.
        expect(text(rejected)).toContain("The material stage may change only material");
        expect(text(rejected)).toContain(
          `your material code writes the location of ${first}, which the composition stage owns`,
        );
      }
      const submitted = await call(mcp.client, "submit_section", { session_id, ...truthSubmission(stage) });
      const out = submitted.structuredContent as { outcome: string; best_psnr: number };
      expect(out.outcome, text(submitted)).toBe("kept");
      const next = await call(mcp.client, "next_stage", { session_id });
      psnrs.push((next.structuredContent as { psnr: number }).psnr);
    }
    console.log(
      `PSNR per stage (scaffold, ${STAGES.join(", ")}): ${psnrs.map((p) => p.toFixed(2)).join(" → ")}`,
    );
    for (let i = 1; i < psnrs.length; i++) expect(psnrs[i]!, STAGES[i - 1]).toBeGreaterThan(psnrs[i - 1]!);

    const finish = await call(mcp.client, "finish_session", { session_id, out_dir: "runs/assistant" });
    expect(finish.isError, text(finish)).toBeFalsy();
    const run = path.join(root, "runs", "assistant");
    const record = JSON.parse(await readFile(path.join(run, "run.json"), "utf8"));
    expect(record).toMatchObject({ method: "mcp-assistant", status: "done", submissions: 6 });
    // Each stage's best program rendered again at the photo's size for the report: it improves there too.
    const metricsFile = JSON.parse(await readFile(path.join(run, "metrics.json"), "utf8"));
    const renderedStages = ["scaffold", ...STAGES];
    expect(Object.keys(metricsFile.stageRenders)).toEqual(renderedStages);
    const atPhoto = renderedStages.map((s) => metricsFile.stageRenders[s].metrics.psnr as number);
    for (let i = 1; i < atPhoto.length; i++)
      expect(atPhoto[i]!, renderedStages[i]).toBeGreaterThan(atPhoto[i - 1]!);
    const html = await readFile(path.join(run, "report.html"), "utf8");
    for (const stage of STAGES) expect(html).toContain(`<div class="diff-section" data-stage="${stage}">`);
    const trace = (await readFile(path.join(run, "submissions.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(trace.map((s) => s.outcome)).toEqual([
      "regression",
      "kept",
      "out-of-scope",
      "kept",
      "kept",
      "kept",
    ]);
    expect(trace[1].section).toBe(truth.sections.geometry);

    const rendered = await runSeig([
      "render",
      run,
      "-o",
      path.join(root, "rerender"),
      "--res",
      "64x48",
      "--samples",
      "4",
    ]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(await sharp(path.join(root, "rerender", "render.png")).metadata()).toMatchObject({
      width: 64,
      height: 48,
    });
    const scored = await runSeig([
      "eval",
      path.join(root, scene, "target.png"),
      run,
      "--truth",
      path.join(root, scene, "truth.json"),
      "--json",
      "--no-semantic",
    ]);
    expect(scored.code, scored.stderr).toBe(0);
    const report = JSON.parse(scored.stdout);
    expect(report.psnr).toBeGreaterThan(psnrs[0]!);
    // The truth's own sections and values: every object found, where it belongs.
    expect(report.errors3d).toMatchObject({ countCorrect: true, recall: 1, missed: [] });
    expect(report.errors3d.positionError).toBeLessThan(1e-3);
  });
});
