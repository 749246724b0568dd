/**
 * The web endpoints added for the result view and the runs page, against the real server, the
 * real library and a real Blender pool: a stage rendered at the photo's resolution and measured
 * there, with its checklist and program diff; the run folder as a zip; benchmark pages beside the
 * runs; the edit box's availability; and a real run's improving render between stage ends.
 */
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/web/serve.ts";
import type { BenchSummary, ServerConfig, StageDetail } from "../../src/web/wire.ts";
import { fixtureRun, rawGet, readEvents, smallPhoto, unzipText } from "./helpers.ts";

let dir: string;
let runs: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-web-stages-"));
  runs = path.join(dir, "runs");
  server = await startServer({ port: 0, host: "127.0.0.1", runsDir: runs, pool: { size: 1 } });
  base = server.url.replace(/\/$/, "");
  await fixtureRun(runs, "fixture", "openai:gpt-4o");
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("seig serve: stages, zip, bench, edit availability, live best", { timeout: 300_000 }, () => {
  it("renders a stage at the photo's resolution, measures it there, and diffs it against the stage before", async () => {
    const res = await fetch(`${base}/api/runs/fixture/stages/material`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as StageDetail;
    expect(s.previous).toBe("scaffold");
    expect(s.image).toMatch(/^\/files\/fixture\/stages\/material\/render\.png\?v=/);
    const png = Buffer.from(await (await fetch(`${base}${s.image}`)).arrayBuffer());
    expect(await sharp(png).metadata()).toMatchObject({ width: 96, height: 72 });
    expect(s.metrics).toMatchObject({ width: 96, height: 72 });
    expect(s.metrics.psnr).toBeGreaterThan(5);
    expect(s.metrics.ssim).toBeGreaterThan(0);
    // LPIPS is measured when the model is there (SEIG_LPIPS_MODEL), else the reason is given.
    expect(s.metrics.lpips !== null || Boolean(s.metrics.unavailable["lpips"])).toBe(true);
    expect(s.diff).toMatch(/^-.*"red_box\.color": \[0\.8, 0\.05, 0\.04\]/m);
    expect(s.diff).toMatch(/^\+.*"red_box\.color": \[0\.05, 0\.15, 0\.85\]/m);
    expect(s.checklist).toEqual({
      items: [{ object: "red_box", problem: "too dark", fix: "raise its value" }],
      approved: false,
    });
    // Kept in the run folder: asked again, the same file is served, not rendered anew.
    const kept = (await stat(path.join(runs, "fixture", "stages", "material", "render.png"))).mtimeMs;
    const again = (await (await fetch(`${base}/api/runs/fixture/stages/material`)).json()) as StageDetail;
    expect(again.image).toBe(s.image);
    expect((await stat(path.join(runs, "fixture", "stages", "material", "render.png"))).mtimeMs).toBe(kept);
    const first = (await (await fetch(`${base}/api/runs/fixture/stages/scaffold`)).json()) as StageDetail;
    expect(first.diff).toBeNull();
    expect(first.checklist).toBeNull();
    // A render the run's writer already saved is used as it is, not rendered again.
    const own = path.join(runs, "fixture", "stages", "scaffold", "render.png");
    await writeFile(
      own,
      await sharp({ create: { width: 96, height: 72, channels: 3, background: "#00ff00" } })
        .png()
        .toBuffer(),
    );
    const saved = (await (await fetch(`${base}/api/runs/fixture/stages/scaffold`)).json()) as StageDetail;
    expect(saved.metrics.psnr).not.toBe(first.metrics.psnr);
    const green = await sharp(
      Buffer.from(await (await fetch(`${base}${saved.image}`)).arrayBuffer()),
    ).stats();
    expect(green.channels[1]!.mean).toBeGreaterThan(250);
  });

  it("refuses unknown stages, bad stage names and runs outside the folder", async () => {
    const missing = await fetch(`${base}/api/runs/fixture/stages/lighting`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/no stage "lighting"/);
    expect((await rawGet(base, "/api/runs/fixture/stages/..%2F..%2Fetc")).status).toBe(400);
    expect((await rawGet(base, "/api/runs/..%2Ffixture/stages/material")).status).toBe(400);
    expect((await fetch(`${base}/api/runs/nope/stages/material`)).status).toBe(404);
  });

  it("zips the run folder with every file inside it and nothing outside", async () => {
    const secret = path.join(dir, "secret.txt");
    await writeFile(secret, "secret");
    await symlink(secret, path.join(runs, "fixture", "link.txt"));
    const res = await fetch(`${base}/api/runs/fixture/download.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="fixture.zip"/);
    const zip = await unzipText(Buffer.from(await res.arrayBuffer()));
    const names = [...zip.keys()];
    for (const f of ["program.py", "run.json", "target.png", "stages/material/program.py", "state.json"])
      expect(names).toContain(`fixture/${f}`);
    expect(names).not.toContain("fixture/link.txt");
    expect(zip.get("fixture/program.py")).toContain("PARAMS = {");
    expect((await rawGet(base, "/api/runs/..%2F..%2Ftmp/download.zip")).status).toBe(400);
    expect((await fetch(`${base}/api/runs/nope/download.zip`)).status).toBe(404);
  });

  it("lists benchmark results beside the runs and serves their pages, tables and plots from inside", async () => {
    const bench = path.join(runs, "bench", "tiny");
    await mkdir(path.join(bench, "plots"), { recursive: true });
    const rows = [
      { scene: "a", values: { psnr: 20, ssim: 0.5, renders: 10 } },
      { scene: "b", values: { psnr: 24, ssim: 0.7, renders: 30 } },
    ];
    await writeFile(
      path.join(bench, "results.json"),
      JSON.stringify({ method: "offline", rows, scores: [] }),
    );
    await writeFile(
      path.join(bench, "plots", "psnr_per_scene.svg"),
      "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    await mkdir(path.join(runs, "bench", "not-a-bench"));
    const list = (await (await fetch(`${base}/api/bench`)).json()) as BenchSummary[];
    expect(list.map((b) => b.name)).toEqual(["tiny"]);
    expect(list[0]).toMatchObject({
      method: "offline",
      scenes: 2,
      failed: 0,
      page: "/bench/tiny/index.html",
    });
    expect(list[0]!.summary.find((s) => s.key === "psnr")?.mean).toBe(22);
    // No index.html written: the page is made from results.json with the bench's page builder.
    const page = await fetch(`${base}/bench/tiny/index.html`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/plots\/psnr_per_scene\.svg/);
    const svg = await fetch(`${base}/bench/tiny/plots/psnr_per_scene.svg`);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect((await rawGet(base, "/bench/tiny/..%2F..%2Ffixture%2Fprogram.py")).status).toBe(403);
    expect((await rawGet(base, "/bench/..%2Ffixture/index.html")).status).toBe(400);
    expect((await fetch(`${base}/bench/none/index.html`)).status).toBe(404);
    // The bench folder is not a run.
    const runList = (await (await fetch(`${base}/api/runs`)).json()) as { id: string }[];
    expect(runList.map((r) => r.id)).not.toContain("bench");
  });

  it("says why editing by instruction is unavailable without a model, and checks the request first", async () => {
    const config = (await (await fetch(`${base}/api/config`)).json()) as ServerConfig;
    expect(config.editModel).toBeNull();
    expect(config.editUnavailable).toMatch(/no model configured: start `seig serve --model/);
    const post = (body: unknown) =>
      fetch(`${base}/api/runs/fixture/edit`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const refused = await post({ instruction: "make the red box green" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/no model configured/);
    const empty = await post({ instruction: "  " });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toMatch(
      /instruction: the instruction is empty/,
    );
  });

  it("sends the search's improving render as it improves, between stage ends, as a file inside the run", async () => {
    const form = new FormData();
    form.append("photo", new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "live.png");
    for (const [k, v] of Object.entries({
      budget: "160",
      workingSide: "32",
      finalSide: "64",
      finalSamples: "4",
    }))
      form.append(k, v);
    const { id } = (await (await fetch(`${base}/api/runs`, { method: "POST", body: form })).json()) as {
      id: string;
    };
    const messages = await readEvents(`${base}/api/runs/${id}/events`);
    expect(messages.at(-1)).toEqual({ kind: "end", status: "done" });
    const live = messages.filter((m) => m.kind === "best" && String(m.image).includes("/live/best.png"));
    expect(live.length).toBeGreaterThan(0);
    expect(typeof live[0]!.loss).toBe("number");
    // The first came during initialisation, before any stage started: the page saw the run
    // improve long before a stage's best.png existed.
    const firstStageStart = messages.findIndex(
      (m) => m.kind === "event" && (m.event as { type: string }).type === "stage-start",
    );
    expect(live[0]!.stage).toBe("initialisation");
    expect(messages.indexOf(live[0]!)).toBeLessThan(firstStageStart);
    const png = await fetch(`${base}${live.at(-1)!.image}`);
    expect(png.headers.get("content-type")).toBe("image/png");
    const iteration = messages.find(
      (m) => m.kind === "event" && (m.event as { type: string }).type === "iteration",
    );
    expect(iteration, "iteration events carry round and renders").toBeDefined();
    // This run's writer rendered and measured its stages itself: the timeline shows those numbers.
    const metrics = JSON.parse(await readFile(path.join(runs, id, "metrics.json"), "utf8"));
    const recorded = metrics.stageRenders?.material;
    expect(recorded?.metrics, "metrics.json stageRenders.material").toBeTruthy();
    const stage = (await (await fetch(`${base}/api/runs/${id}/stages/material`)).json()) as StageDetail;
    expect(stage.metrics.psnr).toBe(recorded.metrics.psnr);
    expect(stage.metrics.lpips).toBe(recorded.metrics.lpips);
    expect(stage.image).toMatch(/\/stages\/material\/render\.png/);
    expect(await stat(path.join(runs, id, "web", "stage-metrics")).catch(() => null)).toBeNull();
  });
});
