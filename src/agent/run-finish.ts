/** The end of an agent run that has a program: final render, metrics.json, run.json and the report. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { RgbImage } from "../image/types.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { writeMetricsJson } from "../run/files.ts";
import { type FinalResult, renderFinal } from "../run/final-render.ts";
import { type FlatComparison, flatSummary } from "../run/flat-baseline.ts";
import type { RunFolder } from "../run/folder.ts";
import type { RunTracker } from "../run/record.ts";
import { type ReportRow, renderReport } from "../run/report.ts";
import type { AgentContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { renderRoundsSection } from "./report-rounds.ts";
import { methodName, writeRunRecord } from "./run-record.ts";
import type { Save } from "./run-staged.ts";
import type { AgentState } from "./state.ts";

export interface FinishedRun {
  program: string;
  metrics: MetricReport;
  /** The result against the flat image of the target's mean colour. */
  flat: FlatComparison;
  state: AgentState;
}

/**
 * `stoppedEarly` (the --max-cost budget) keeps the stage index where the run stopped, so a resume
 * with a larger budget continues from there instead of treating the run as complete.
 */
export async function finish(
  ctx: AgentContext,
  folder: RunFolder,
  target: RgbImage,
  best: Attempt,
  current: () => AgentState,
  save: Save,
  stoppedEarly: string | null = null,
  tracker?: RunTracker,
): Promise<FinishedRun> {
  const settings = current().settings;
  ctx.renders.count++;
  const final = await renderFinal(ctx.pool, folder, best.source, target, {
    samples: settings.finalSamples,
    seed: settings.seed,
    semanticMetrics: settings.semanticMetrics,
    methodLabel: "VLM agent with this model",
  });
  const { metrics, flat } = final;
  const complete = settings.oneShot ? 0 : settings.stages.length;
  await save({ ...current(), best, stageIndex: stoppedEarly ? current().stageIndex : complete });
  const state = current();
  const method = methodName(state);
  const stageRows = {
    ...scaffoldRow(state),
    ...Object.fromEntries(
      Object.entries(state.stages).map(([s, v]) => [
        s,
        {
          psnr: v.psnr,
          loss: v.loss,
          rounds: v.rounds,
          approved: v.approved,
          tuned: v.tuned,
          renders: v.renders,
        },
      ]),
    ),
  };
  await writeMetricsJson(folder.metrics, { method, final: metrics, flat, stages: stageRows });
  await writeFile(folder.report, await reportHtml(ctx, folder, state, best, final, method));
  // run.json last, so `done` always sits beside a complete folder.
  await tracker?.stop();
  await writeRunRecord(folder, ctx, state, {
    status: "done",
    ...(stoppedEarly && { reason: stoppedEarly }),
    extra: {
      target: {
        width: target.width,
        height: target.height,
        originalWidth: target.originalWidth,
        originalHeight: target.originalHeight,
      },
      workingResolution: [
        { name: "working", width: ctx.render.width, height: ctx.render.height, samples: ctx.render.samples },
      ],
      scaffolds: state.scaffolds,
      stages: stageRows,
    },
  });
  return { program: best.source, metrics, flat, state };
}

/** The chosen scaffold's row (its loss; PSNR is measured only for stage results), as the offline method writes one. */
function scaffoldRow(state: AgentState): Record<string, { psnr: null; loss: number | null }> {
  const chosen = state.scaffolds?.records.find((r) => r.rollout === state.scaffolds?.chosen);
  return chosen ? { scaffold: { psnr: null, loss: chosen.loss } } : {};
}

async function reportHtml(
  ctx: AgentContext,
  folder: RunFolder,
  state: AgentState,
  best: Attempt,
  final: FinalResult,
  method: string,
): Promise<string> {
  const { metrics, flat } = final;
  const rows: ReportRow[] = [
    ...(state.scaffolds
      ? [{ label: "scaffold", image: path.join(folder.stageDir("scaffold"), "best.png"), metrics: {} }]
      : []),
    ...Object.entries(state.stages).map(([s, v]) => ({
      label: s,
      image: path.join(folder.stageDir(s), "best.png"),
      metrics: { psnr: v.psnr, loss: v.loss, "psnr before tune": v.tuned?.psnrBefore ?? null },
    })),
    {
      label: "final",
      image: folder.final,
      metrics: { psnr: metrics.psnr, ssim: metrics.ssim, lpips: metrics.lpips },
    },
    {
      label: "flat (mean colour)",
      image: final.flatImage,
      metrics: { psnr: flat.flat.psnr, ssim: flat.flat.ssim, lpips: flat.flat.lpips },
    },
  ];
  return renderReport({
    title: `seig reconstruct — ${path.basename(state.settings.image)}`,
    method: `${method} (${ctx.generator.model}${ctx.verifier.model !== ctx.generator.model ? `, verifier ${ctx.verifier.model}` : ""})`,
    target: path.join(folder.dir, "target.png"),
    rows,
    program: best.source,
    extraHtml: await renderRoundsSection(state.rounds, state.stages, state.usage),
    flat: { summary: flatSummary(flat), warning: flat.warning },
  });
}
