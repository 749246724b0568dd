/**
 * The offline run's last step: the shared final render (program.py, final.png, flat.png,
 * scene.blend and metrics, src/run/final-render.ts), then metrics.json, report.html and
 * run.json `done` — in that order, so a run.json that says `done` always sits beside a
 * complete folder — and the checkpoint, no longer needed, removed.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeMetricsJson } from "../run/files.ts";
import { renderFinal } from "../run/final-render.ts";
import { flatSummary } from "../run/flat-baseline.ts";
import { type ReportRow, renderReport } from "../run/report.ts";
import { versions } from "../run/version.ts";
import { formatBudget } from "./budget.ts";
import { CHECKPOINT_FILE, type StageRow } from "./checkpoint.ts";
import type { Session } from "./offline-run.ts";
import type { OfflineResult } from "./reconstruct.ts";

function reportRow(runDir: string, row: StageRow): ReportRow {
  return {
    label: row.label,
    image: row.image ? path.join(runDir, row.image) : null,
    metrics: { psnr: row.psnr, ssim: row.ssim },
  };
}

/** What run.json says about the run besides its status. */
function runFields(s: Session, renders: number, seconds: number): Record<string, unknown> {
  const { settings, stagePool, stages, cut } = s.cp;
  return {
    image: settings.image,
    settings: { ...settings, budget: formatBudget(settings.budget) },
    seed: settings.seed,
    versions: versions(s.pool.blenderVersion),
    target: {
      width: s.target.width,
      height: s.target.height,
      originalWidth: s.cp.photo?.width ?? s.target.originalWidth,
      originalHeight: s.cp.photo?.height ?? s.target.originalHeight,
    },
    workingResolution: s.levels.map((l) => ({
      name: l.name,
      width: l.target.width,
      height: l.target.height,
      samples: l.samples,
    })),
    budget: {
      total: formatBudget(settings.budget),
      initialisation: stages["scaffold"]?.renders ?? null,
      stages: stagePool ? formatBudget(stagePool) : null,
      final: 1,
    },
    stages,
    renders,
    seconds,
    sandboxed: s.pool.sandboxed,
    ...(cut ? { cut } : {}),
  };
}

export async function finishOffline(s: Session): Promise<OfflineResult> {
  const { folder, cp } = s;
  const inc = s.store.load(cp.best!);
  const final = await renderFinal(s.pool, folder, inc.source, s.target, {
    samples: cp.settings.finalSamples,
    seed: cp.settings.seed,
    semanticMetrics: cp.settings.semanticMetrics,
    methodLabel: "offline method",
  });
  const { metrics, flat } = final;
  await writeMetricsJson(folder.metrics, {
    method: "offline",
    final: metrics,
    flat,
    stages: Object.fromEntries(cp.rows.map((r) => [r.label, { psnr: r.psnr, ssim: r.ssim }])),
  });
  const renders = s.evaluator.renders + 1;
  const seconds = s.elapsed();
  const rows = [
    ...cp.rows.map((r) => reportRow(folder.dir, r)),
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
  await writeFile(
    folder.report,
    await renderReport({
      title: `seig reconstruct — ${path.basename(cp.settings.image)}`,
      method: "offline (classical analysis + CMA-ES; no VLM)",
      target: path.join(folder.dir, "target.png"),
      rows,
      program: inc.source,
      flat: { summary: flatSummary(flat), warning: flat.warning },
    }),
  );
  if (cp.cut) {
    s.runtime.progress({
      type: "note",
      text: `--time-limit reached during ${cp.cut.stage}: the run ended with its best program so far`,
    });
  }
  await s.record.end({ status: "done" }, runFields(s, renders, seconds));
  await rm(path.join(folder.dir, CHECKPOINT_FILE), { force: true });
  await rm(path.join(folder.dir, "checkpoint"), { recursive: true, force: true });
  s.runtime.progress({ type: "run-end", outDir: folder.dir, seconds, renders, psnr: metrics.psnr, flat });
  return { outDir: folder.dir, finalLoss: inc.loss, renders, seconds, metrics, flat };
}
