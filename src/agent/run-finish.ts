/** The end of an agent run that has a program: final render, metrics.json, run.json and the report. */
import path from "node:path";
import type { RgbImage } from "../image/types.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { writeMetricsJson } from "../run/files.ts";
import { type FinalResult, renderFinal, reportRunFields } from "../run/final-render.ts";
import type { FlatComparison } from "../run/flat-baseline.ts";
import type { RunFolder } from "../run/folder.ts";
import type { RunTracker } from "../run/record.ts";
import { type StageInfo, writeRunReport } from "../run/run-report.ts";
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
    stages: ["scaffold", ...settings.stages],
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
  await writeMetricsJson(folder.metrics, {
    method,
    final: metrics,
    flat,
    stages: stageRows,
    stageRenders: final.stageRenders,
  });
  await writeRunReport(await reportInput(ctx, folder, state, best, final, method));
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
      ...reportRunFields(final),
    },
  });
  return { program: best.source, metrics, flat, state };
}

/** The chosen scaffold's row (its loss; PSNR is measured only for stage results), as the offline method writes one. */
function scaffoldRow(state: AgentState): Record<string, { psnr: null; loss: number | null }> {
  const chosen = state.scaffolds?.records.find((r) => r.rollout === state.scaffolds?.chosen);
  return chosen ? { scaffold: { psnr: null, loss: chosen.loss } } : {};
}

/** Per stage: its loss and renders, the verifier's last verdict on it, and --tune's effect. */
function stageInfos(state: AgentState): StageInfo[] {
  const chosen = state.scaffolds?.records.find((r) => r.rollout === state.scaffolds?.chosen);
  const scaffold: StageInfo[] = state.scaffolds ? [{ name: "scaffold", loss: chosen?.loss ?? null }] : [];
  return [
    ...scaffold,
    ...Object.entries(state.stages).map(([name, v]) => {
      const last = state.rounds.filter((r) => r.stage === name).at(-1);
      return {
        name,
        loss: v.loss,
        renders: v.renders,
        checklist: last ? { approved: last.approved, items: last.checklist } : null,
        note: v.tuned
          ? `--tune: search-render PSNR ${v.tuned.psnrBefore.toFixed(2)} → ${v.tuned.psnrAfter.toFixed(2)} dB (${v.tuned.renders} renders)`
          : null,
      };
    }),
  ];
}

async function reportInput(
  ctx: AgentContext,
  folder: RunFolder,
  state: AgentState,
  best: Attempt,
  final: FinalResult,
  method: string,
): Promise<Parameters<typeof writeRunReport>[0]> {
  const { settings } = state;
  return {
    folder,
    title: `seig reconstruct — ${path.basename(settings.image)}`,
    method: `${method} (${ctx.generator.model}${ctx.verifier.model !== ctx.generator.model ? `, verifier ${ctx.verifier.model}` : ""})`,
    final,
    stages: stageInfos(state),
    render: { samples: settings.finalSamples, seed: settings.seed },
    settings: { method, ...settings },
    seconds: state.seconds,
    renders: state.renders,
    program: best.source,
    extraHtml: await renderRoundsSection(state.rounds, state.stages, state.usage),
  };
}
