/**
 * Gathers a finished run's report from its folder and writes report.html: the photo, each
 * stage's render at the photo's resolution (renderFinal made them) with its heatmap and its
 * program diff against the stage before, the orbit views, settings and totals. Every method's
 * finish (offline, agent, MCP session) calls this with what only it knows: per-stage loss,
 * renders and time, a checklist, its settings.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { differenceHeatmap } from "../image/heatmap.ts";
import { loadImage } from "../image/load.ts";
import { resizeTo } from "../image/resize.ts";
import { encodePng } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import { writeFileAtomic } from "./atomic.ts";
import type { FinalResult } from "./final-render.ts";
import { flatSummary } from "./flat-baseline.ts";
import type { RunFolder } from "./folder.ts";
import { type ReportStage, renderReport } from "./report.ts";
import { fileDataUrl, pngDataUrl } from "./report-html.ts";
import { stageDiffHtml } from "./report-program.ts";

/** What the method knows about one stage (scaffold first); the renders and metrics come from `final`. */
export interface StageInfo {
  name: string;
  loss?: number | null;
  renders?: number | null;
  seconds?: number | null;
  checklist?: ReportStage["checklist"];
  note?: string | null;
}

export interface RunReportInput {
  folder: RunFolder;
  title: string;
  method: string;
  final: FinalResult;
  stages: readonly StageInfo[];
  /** How the final (and so every stage render) was rendered. */
  render: { samples: number; seed: number };
  /** Method settings, shown first in the settings table. */
  settings: Record<string, unknown>;
  /** Wall time and the method's own renders (the search and the final), when known. */
  seconds: number | null;
  renders: number | null;
  program: string;
  extraHtml?: string;
}

async function heatmapUrl(target: RgbImage, file: string): Promise<string | null> {
  const image = await loadImage(file, { maxSide: 0 }).catch(() => null);
  if (!image) return null;
  const same =
    image.width === target.width && image.height === target.height
      ? image
      : await resizeTo(image, target.width, target.height);
  return pngDataUrl(await encodePng(differenceHeatmap(target, same)));
}

/** "80×60": the size of a search render (what the stage's loss was measured on), null when there is none. */
async function sizeOf(file: string): Promise<string | null> {
  const meta = await sharp(file)
    .metadata()
    .catch(() => null);
  return meta?.width && meta.height ? `${meta.width}×${meta.height}` : null;
}

async function stages(input: RunReportInput, target: RgbImage): Promise<ReportStage[]> {
  const { folder, final } = input;
  const out: ReportStage[] = [];
  let previous: { name: string; program: string } | null = null;
  for (const info of input.stages) {
    const render = final.stageRenders[info.name] ?? null;
    const file = render?.image ? path.join(folder.dir, render.image) : null;
    const program = await readFile(path.join(folder.stageDir(info.name), "program.py"), "utf8").catch(
      () => null,
    );
    out.push({
      name: info.name,
      loss: info.loss ?? null,
      lossAt: await sizeOf(path.join(folder.stageDir(info.name), "best.png")),
      renders: info.renders ?? null,
      seconds: info.seconds ?? null,
      image: file ? await fileDataUrl(file) : null,
      heatmap: file ? await heatmapUrl(target, file) : null,
      metrics: render?.metrics ?? null,
      sameAs: render?.sameAs ?? null,
      error: render ? render.error : "the stage left no program",
      diffHtml:
        previous && program !== null
          ? stageDiffHtml(info.name, previous.name, previous.program, program)
          : "",
      checklist: info.checklist ?? null,
      note: info.note ?? null,
    });
    if (program !== null) previous = { name: info.name, program };
  }
  return out;
}

/** The settings table: the method's settings, then time and renders, the report's own renders last. */
function settingsRows(input: RunReportInput, size: string): [string, unknown][] {
  const { reportRenders, orbit } = input.final;
  return [
    ...Object.entries(input.settings).filter(([, v]) => v !== undefined),
    ["wall time", input.seconds === null ? "unknown" : `${input.seconds.toFixed(1)} s`],
    ["renders (method: search and final)", input.renders ?? "unknown"],
    [
      "renders for this report",
      `${reportRenders.stages} stage renders at ${size} (stages whose program is the final's or an earlier stage's are copied), ${reportRenders.orbit} orbit views at ${orbit.width}×${orbit.height}`,
    ],
  ];
}

export async function writeRunReport(input: RunReportInput): Promise<void> {
  const { folder, final } = input;
  const targetFile = path.join(folder.dir, "target.png");
  const target = await loadImage(targetFile, { maxSide: 0 });
  const size = `${target.width}×${target.height}`;
  const orbitImages = await Promise.all(final.orbit.images.map((f) => fileDataUrl(path.join(folder.dir, f))));
  const html = await renderReport({
    title: input.title,
    method: input.method,
    target: { url: (await fileDataUrl(targetFile))!, width: target.width, height: target.height },
    final: {
      image: (await fileDataUrl(folder.final))!,
      heatmap: await heatmapUrl(target, folder.final),
      metrics: final.metrics,
    },
    flat: { comparison: final.flat, summary: flatSummary(final.flat) },
    stages: await stages(input, target),
    render: input.render,
    orbit: { ...final.orbit, images: orbitImages.filter((u): u is string => u !== null) },
    settings: settingsRows(input, size),
    program: input.program,
    extraHtml: input.extraHtml,
  });
  await writeFileAtomic(folder.report, html);
}
