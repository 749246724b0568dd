/**
 * One stage of a run as the result view's timeline shows it: the stage's best program rendered at
 * the photo's resolution, its PSNR/SSIM/LPIPS measured against the photo at that one resolution,
 * the verifier's checklist (model runs), and the program's diff against the previous stage.
 *
 * Runs written by this version already hold stages/<stage>/render.png and its metrics
 * (metrics.json `stageRenders`, src/run/stage-renders.ts): those are used as they are. For older
 * runs, and stages the writer could not render, the render is made here on first request (through
 * the shared, sandboxed pool) and kept at the same path; its metrics are cached in
 * web/stage-metrics/<stage>.json, tied to the render's mtime.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import sharp from "sharp";
import { z } from "zod";
import { ChecklistItem } from "../agent/checklist.ts";
import { statePath } from "../agent/state.ts";
import type { OpenedRun } from "../api/open-run.ts";
import { compare, render } from "../api/scene.ts";
import type { MetricModels } from "../metrics/metric-models.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { programBody } from "../program/assemble.ts";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { fileUrl } from "./run-files.ts";
import type { StageDetail, StageMetricsAt } from "./wire.ts";

export const STAGE_RENDER = "render.png";
const DEFAULT_SAMPLES = 16;

/** Renders in progress, so two pages asking for the same stage share one render. */
const inFlight = new Map<string, Promise<void>>();

async function photoSize(run: OpenedRun): Promise<{ width: number; height: number }> {
  const meta = await sharp(run.files.target)
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height) throw new HttpError(409, "this run has no target.png to measure against");
  return { width: meta.width, height: meta.height };
}

function samplesOf(run: OpenedRun): number {
  const r = (run.run ?? {}) as Record<string, unknown>;
  const settings = (r["settings"] ?? {}) as Record<string, unknown>;
  const n = r["finalSamples"] ?? settings["finalSamples"];
  return typeof n === "number" && n > 0 ? Math.min(n, 64) : DEFAULT_SAMPLES;
}

/** stages/<stage>/render.png, rendered now when missing (atomically: a half-written file is never served). */
async function ensureRender(ctx: WebContext, run: OpenedRun, stage: string, source: string): Promise<string> {
  const out = path.join(run.dir, "stages", stage, STAGE_RENDER);
  if (await stat(out).catch(() => null)) return out;
  const key = out;
  let job = inFlight.get(key);
  if (!job) {
    job = (async () => {
      const size = await photoSize(run);
      const work = path.join(run.dir, "web", `stage-${stage}-${process.pid}`);
      try {
        const result = await render(
          { source },
          { outDir: work, ...size, samples: samplesOf(run), pool: ctx.pool },
        );
        await rename(result.images[0]!.path, out);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, job);
  }
  await job;
  return out;
}

function fromReport(report: MetricReport): StageMetricsAt {
  const { psnr, ssim, lpips, width, height, unavailable } = report;
  return { psnr, ssim, lpips, width, height, unavailable };
}

/** PSNR/SSIM/LPIPS of the stage render against the photo, both at the photo's resolution. */
async function measure(
  models: MetricModels,
  run: OpenedRun,
  stage: string,
  image: string,
): Promise<StageMetricsAt> {
  // The run's writer measured its own stage renders at the photo's size (metrics.json stageRenders).
  const recorded = run.metrics?.stageRenders?.[stage];
  if (recorded?.metrics && recorded.image === path.relative(run.dir, image).split(path.sep).join("/"))
    return fromReport(recorded.metrics);
  const rendered = (await stat(image)).mtimeMs;
  const cache = path.join(run.dir, "web", "stage-metrics", `${stage}.json`);
  const cached = await readFile(cache, "utf8")
    .then((t) => JSON.parse(t) as StageMetricsAt & { rendered: number })
    .catch(() => null);
  if (cached && cached.rendered === rendered) return cached;
  const metrics = fromReport(await compare(run.files.target, image, { models }));
  await mkdir(path.dirname(cache), { recursive: true });
  await writeFile(cache, JSON.stringify({ ...metrics, rendered }));
  return metrics;
}

/** Just what the timeline reads from the agent's state.json (read loosely: any version has these). */
const StateRounds = z.looseObject({
  rounds: z.array(
    z.looseObject({ stage: z.string(), checklist: z.array(ChecklistItem), approved: z.boolean() }),
  ),
});

/** The verifier's last word on this stage, from the agent's state.json (null for offline runs). */
async function checklistOf(
  run: OpenedRun,
  stage: string,
): Promise<{ items: ChecklistItem[]; approved: boolean } | null> {
  if (!run.method || run.method === "offline") return null;
  const text = await readFile(statePath(run.dir), "utf8").catch(() => null);
  const state = text === null ? null : StateRounds.safeParse(JSON.parse(text));
  const last = state?.success ? state.data.rounds.filter((r) => r.stage === stage).at(-1) : undefined;
  return last ? { items: last.checklist, approved: last.approved } : null;
}

async function programOf(run: OpenedRun, stage: string): Promise<string | null> {
  return readFile(path.join(run.dir, "stages", stage, "program.py"), "utf8").catch(() => null);
}

export async function stageDetail(
  ctx: WebContext,
  id: string,
  run: OpenedRun,
  stage: string,
): Promise<StageDetail> {
  const index = run.stages.indexOf(stage);
  if (index < 0) throw new HttpError(404, `run ${id} has no stage ${JSON.stringify(stage)}`);
  const source = await programOf(run, stage);
  if (!source) throw new HttpError(409, `stage ${stage} of run ${id} has no program.py`);
  const image = await ensureRender(ctx, run, stage, source);
  const previous = index > 0 ? run.stages[index - 1]! : null;
  const before = previous ? await programOf(run, previous) : null;
  const rel = path.relative(run.dir, image);
  return {
    name: stage,
    previous,
    image: fileUrl(id, rel, (await stat(image)).mtimeMs),
    metrics: await measure(ctx.metricModels, run, stage, image),
    checklist: await checklistOf(run, stage),
    diff:
      before === null
        ? null
        : createTwoFilesPatch(
            `${previous}/program.py`,
            `${stage}/program.py`,
            programBody(before),
            programBody(source),
            undefined,
            undefined,
            { context: 2 },
          ),
  };
}
