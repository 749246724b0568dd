/**
 * The offline run's last step: the shared final render (program.py, final.png, flat.png,
 * scene.blend and metrics, src/run/final-render.ts), then metrics.json, report.html and
 * run.json `done` — in that order, so a run.json that says `done` always sits beside a
 * complete folder — and the checkpoint, no longer needed, removed.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { writeMetricsJson } from "../run/files.ts";
import { type FinalResult, renderFinal, reportRunFields } from "../run/final-render.ts";
import { writeRunReport } from "../run/run-report.ts";
import { versions } from "../run/version.ts";
import { formatBudget } from "./budget.ts";
import { CHECKPOINT_FILE } from "./checkpoint.ts";
import type { Session } from "./offline-run.ts";
import type { OfflineResult } from "./reconstruct.ts";

/** What run.json says about the run besides its status. */
function runFields(
  s: Session,
  renders: number,
  seconds: number,
  final: FinalResult,
): Record<string, unknown> {
  const { settings, stagePool, stages, cut } = s.cp;
  return {
    image: settings.image,
    settings: { ...settings, budget: formatBudget(settings.budget) },
    seed: settings.seed,
    ...(s.cp.sceneKind ? { sceneKind: s.cp.sceneKind } : {}),
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
    ...reportRunFields(final),
    ...(cut ? { cut } : {}),
  };
}

export async function finishOffline(s: Session): Promise<OfflineResult> {
  const { folder, cp } = s;
  const inc = s.store.load(cp.best!);
  const labels = cp.rows.map((r) => r.label);
  const final = await renderFinal(s.pool, folder, inc.source, s.target, {
    samples: cp.settings.finalSamples,
    seed: cp.settings.seed,
    semanticMetrics: cp.settings.semanticMetrics,
    methodLabel: "offline method",
    stages: labels,
  });
  const { metrics, flat } = final;
  await writeMetricsJson(folder.metrics, {
    method: "offline",
    final: metrics,
    flat,
    stages: Object.fromEntries(
      cp.rows.map((r) => [r.label, { psnr: r.psnr, ssim: r.ssim, loss: cp.stages[r.label]?.loss ?? null }]),
    ),
    stageRenders: final.stageRenders,
  });
  const renders = s.evaluator.renders + 1;
  const seconds = s.elapsed();
  await writeRunReport({
    folder,
    title: `seig reconstruct — ${path.basename(cp.settings.image)}`,
    method: "offline (classical analysis + CMA-ES; no VLM)",
    final,
    stages: labels.map((name) => ({ name, ...cp.stages[name] })),
    render: { samples: cp.settings.finalSamples, seed: cp.settings.seed },
    settings: {
      method: "offline",
      ...cp.settings,
      budget: formatBudget(cp.settings.budget),
      ...(cp.sceneKind
        ? { sceneKind: `${cp.sceneKind.kind} (${cp.sceneKind.source}: ${cp.sceneKind.evidence})` }
        : {}),
    },
    seconds,
    renders,
    program: inc.source,
  });
  if (cp.cut) {
    s.runtime.progress({
      type: "note",
      text: `--time-limit reached during ${cp.cut.stage}: the run ended with its best program so far`,
    });
  }
  await s.record.end({ status: "done" }, runFields(s, renders, seconds, final));
  await rm(path.join(folder.dir, CHECKPOINT_FILE), { force: true });
  await rm(path.join(folder.dir, "checkpoint"), { recursive: true, force: true });
  s.runtime.progress({ type: "run-end", outDir: folder.dir, seconds, renders, psnr: metrics.psnr, flat });
  return { outDir: folder.dir, finalLoss: inc.loss, renders, seconds, metrics, flat };
}
