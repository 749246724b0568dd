/**
 * The web app end to end in real headless Chromium (Debian's, driven by playwright-core): upload
 * a small generated photo, follow progress to done, see the 3D canvas draw the scene, move a
 * colour picker and see the re-render change, download the program. Screenshots of each view go
 * to test-output/screenshots/ for review.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import sharp from "sharp";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/web/serve.ts";
import { smallPhoto, unzipText } from "./helpers.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const SHOTS = path.resolve("test-output/screenshots");
/** A whole run, export and re-render on a loaded 2-core machine: ~100 s seen, more when others test too. */
const BUDGET_MS = 480_000;
let dir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Always build, so the test checks the front end as it is in the tree, not a stale bundle.
  await build({ configFile: path.resolve("web/vite.config.ts"), logLevel: "error" });
  await mkdir(SHOTS, { recursive: true });
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-e2e-"));
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    runsDir: path.join(dir, "runs"),
    pool: { size: 1 },
  });
  if (!CHROMIUM)
    throw new Error("chromium is not installed: run scripts/setup.sh (apt-get install chromium)");
  // SwiftShader gives WebGL without a GPU; --no-sandbox because CI runs as root.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  });
  // A benchmark results folder beside the runs, for the runs page's link to its page.
  const bench = path.join(dir, "runs", "bench", "tiny");
  await mkdir(bench, { recursive: true });
  await writeFile(
    path.join(bench, "results.json"),
    JSON.stringify({
      method: "offline",
      rows: [{ scene: "a", values: { psnr: 21.5, renders: 40 } }],
      scores: [],
    }),
  );
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Share of the WebGL canvas's pixels that differ from the clear colour. */
async function drawnFraction(p: Page): Promise<number> {
  return p.evaluate(() => {
    const gl = document.querySelector<HTMLCanvasElement>("#viewer-canvas")!;
    const c = document.createElement("canvas");
    c.width = gl.width;
    c.height = gl.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(gl, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const bg = [0xdd, 0xe4, 0xea];
    let drawn = 0;
    for (let i = 0; i < d.length; i += 4) {
      const diff = Math.abs(d[i]! - bg[0]!) + Math.abs(d[i + 1]! - bg[1]!) + Math.abs(d[i + 2]! - bg[2]!);
      if (diff > 30) drawn++;
    }
    return drawn / (d.length / 4);
  });
}

async function imageBytes(p: Page, selector: string): Promise<Buffer> {
  const src = await p.getAttribute(selector, "src");
  return Buffer.from(await (await p.request.get(new URL(src!, server.url).href)).body());
}

/** Mean green minus mean red and blue, at one size whatever the render's: how green a render looks. */
async function greenness(png: Buffer): Promise<number> {
  const { data } = await sharp(png)
    .removeAlpha()
    .resize(32, 24, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let g = 0;
  let rb = 0;
  for (let i = 0; i < data.length; i += 3) {
    g += data[i + 1]!;
    rb += (data[i]! + data[i + 2]!) / 2;
  }
  return (g - rb) / (data.length / 3);
}

describe("seig serve in Chromium", () => {
  it(
    "uploads a photo, shows progress to done, the 3D scene, a colour edit and the program download",
    async () => {
      await page.goto(server.url);
      await page.screenshot({ path: path.join(SHOTS, "1-home.png") });
      await page.setInputFiles("#photo", {
        name: "scene.png",
        mimeType: "image/png",
        buffer: await smallPhoto(),
      });
      for (const [name, value] of Object.entries({ budget: "12", workingSide: "32", finalSide: "96" }))
        await page.fill(`input[name=${name}]`, value);
      await page.click("#start");
      await page.waitForSelector("#progress");
      await page.waitForFunction(
        () => document.querySelector("#stage")?.textContent?.startsWith("stage"),
        null,
        {
          timeout: 120_000,
        },
      );
      await page.screenshot({ path: path.join(SHOTS, "2-progress.png") });

      await page.waitForSelector("#compare", { timeout: 240_000 });
      // The flat-image column holds the baseline's numbers (it once read the wrong level of metrics.json).
      const psnrRow = await page.$$eval("#metrics tr", (rows) =>
        rows.map((r) => [...r.children].map((c) => c.textContent ?? "")).find((cells) => cells[0] === "PSNR"),
      );
      expect(psnrRow?.length).toBe(3);
      expect(Number(psnrRow![2])).toBeGreaterThan(3);
      expect(Number(psnrRow![1])).toBeGreaterThan(Number(psnrRow![2]) - 5);
      await page.waitForSelector("#viewer[data-ready='1']", { timeout: 120_000 });
      expect(await page.textContent("#viewer-status")).toMatch(/camera from the photo/);
      expect(await drawnFraction(page)).toBeGreaterThan(0.05);
      await page.screenshot({ path: path.join(SHOTS, "3-result.png"), fullPage: true });
      await (await page.$("#viewer"))!.screenshot({ path: path.join(SHOTS, "4-viewer.png") });

      const before = await imageBytes(page, "#edited");
      const colour = (await page.$$("input[type=color]"))[0];
      expect(colour, "a colour picker for a material").toBeDefined();
      await colour!.evaluate((el: HTMLInputElement) => {
        el.value = "#00ff00";
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await page.waitForFunction(
        () => document.querySelector("#edit-status")?.textContent?.startsWith("re-rendered"),
        null,
        {
          timeout: 60_000,
        },
      );
      // A material turned pure green makes the re-render greener than the render before the edit.
      expect(await greenness(await imageBytes(page, "#edited"))).toBeGreaterThan(
        (await greenness(before)) + 2,
      );
      await (await page.$("#params"))!.screenshot({ path: path.join(SHOTS, "5-edit.png") });

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#downloads a[download='program.py']"),
      ]);
      expect(await readFile((await download.path())!, "utf8")).toContain("# --- seig:lighting ---");

      // The stage timeline: each stage rendered at the photo's size (96×72) and measured there.
      const stages = await page.$$eval("#timeline .stage-card", (cards) => cards.length);
      expect(stages).toBe(5);
      await page.waitForFunction(
        (n) => document.querySelectorAll("#timeline .stage-card[data-ready='1']").length === n,
        stages,
        { timeout: 180_000 },
      );
      expect(
        await page.$eval(
          "#timeline .stage-card[data-stage='material'] img",
          (i) => (i as HTMLImageElement).naturalWidth,
        ),
      ).toBe(96);
      expect(await page.textContent("#timeline .stage-card[data-stage='material'] .stage-metrics")).toMatch(
        /PSNR \d+\.\d+ · SSIM [\d.]+ · LPIPS .*at 96×72/,
      );
      expect(await page.$$("#timeline .stage-card .diff")).toHaveLength(4);
      await (await page.$("#timeline"))!.screenshot({ path: path.join(SHOTS, "7-timeline.png") });
      // No model configured: the instruction box says why it is unavailable.
      expect(await page.textContent("#edit-instruction-status")).toMatch(/Unavailable: no model configured/);

      const [zip] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#downloads a[href$='download.zip']"),
      ]);
      const entries = [...(await unzipText(await readFile((await zip.path())!))).keys()];
      expect(entries.some((e) => e.endsWith("/program.py"))).toBe(true);
      expect(entries.some((e) => e.includes("/stages/material/render.png"))).toBe(true);

      await page.goto(server.url);
      await page.waitForSelector(".run-card img");
      await page.waitForSelector("#bench a.bench-card");
      await page.screenshot({ path: path.join(SHOTS, "6-runs.png"), fullPage: true });
      const benchPage = await page.getAttribute("#bench a.bench-card", "href");
      const bench = await page.request.get(new URL(benchPage!, server.url).href);
      expect(await bench.text()).toMatch(/seig bench/);
    },
    BUDGET_MS,
  );

  it(
    "stops a run from its Cancel button, resumes it from the Resume button, and sees it reach done",
    async () => {
      await page.goto(server.url);
      await page.setInputFiles("#photo", {
        name: "resume.png",
        mimeType: "image/png",
        buffer: await smallPhoto(),
      });
      for (const [name, value] of Object.entries({ budget: "200", workingSide: "32", finalSide: "96" }))
        await page.fill(`input[name=${name}]`, value);
      await page.click("#start");
      // After the scaffold (a stage has started), so there is a checkpoint to continue from.
      await page.waitForFunction(
        () => document.querySelector("#stage")?.textContent?.startsWith("stage"),
        null,
        {
          timeout: 120_000,
        },
      );
      await page.click("#cancel");
      await page.waitForSelector("#resume", { timeout: 60_000 });
      await page.screenshot({ path: path.join(SHOTS, "8-stopped.png"), fullPage: true });
      await page.click("#resume");
      await page.waitForSelector("#progress", { timeout: 30_000 });
      // For the screenshot only: the live best render usually updates mid-stage by then.
      await page.waitForSelector("#best[data-updates]", { timeout: 60_000 }).catch(() => {});
      await page.screenshot({ path: path.join(SHOTS, "9-resumed-progress.png") });
      await page.waitForSelector("#compare", { timeout: 240_000 });
      expect(await page.textContent("h2 .badge")).toBe("done");
    },
    BUDGET_MS,
  );
});
