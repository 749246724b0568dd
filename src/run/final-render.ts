/**
 * The last step every method shares: write program.py, render it at the target's size
 * into final.png, save scene.blend beside it, score final.png against the target, and
 * score the flat image of the target's mean colour the same way (flat.png), so every run
 * says how much better than that trivial answer it is. For the report (and the web app) it
 * also renders each stage's program the same way (stage-renders.ts) and a few orbit views
 * (orbit-views.ts); those renders are counted apart from the method's, in `reportRenders`.
 */
import { copyFile } from "node:fs/promises";
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
import { oneLine, SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { saveImage } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import { compareImages } from "../metrics/compare.ts";
import { flatImage } from "../metrics/flat.ts";
import { createMetricModels } from "../metrics/metric-models.ts";
import type { MetricReport } from "../metrics/metric-report.ts";
import { programBody } from "../program/assemble.ts";
import { withResolution } from "../program/resolution.ts";
import { writeFileAtomic } from "./atomic.ts";
import { compareWithFlat, type FlatComparison } from "./flat-baseline.ts";
import type { RunFolder } from "./folder.ts";
import { ORBIT_VIEWS, type OrbitViews, renderOrbitViews } from "./orbit-views.ts";
import { renderStages, type StageRender } from "./stage-renders.ts";

export interface FinalRenderOptions {
  samples: number;
  seed: number;
  semanticMetrics: boolean;
  /** Names the method in the warning when the result barely beats the flat image ("offline method"). */
  methodLabel: string;
  /** Stages whose stages/<stage>/program.py to render and score as the final is, scaffold first (default none). */
  stages?: readonly string[];
  /** Orbit views of the final scene (default ORBIT_VIEWS; 0 for none). */
  orbitViews?: number;
}

/** run.json `reportRenders`: renders made for the report, not by the method's search. */
export interface ReportRenders {
  /** Stage programs rendered at the photo's resolution (stages equal to the final or to each other are copied). */
  stages: number;
  orbit: number;
}

export interface FinalResult {
  metrics: MetricReport;
  flat: FlatComparison;
  /** flat.png in the run folder. */
  flatImage: string;
  /** metrics.json `stageRenders`: each stage at the photo's resolution, scored like the final. */
  stageRenders: Record<string, StageRender>;
  /** run.json `orbitViews`. */
  orbit: OrbitViews;
  reportRenders: ReportRenders;
}

/** Names the final render's scratch folder (a pool may render several runs' finals). */
let finalCounter = 0;

export async function renderFinal(
  pool: BlenderPool,
  folder: RunFolder,
  source: string,
  target: RgbImage,
  options: FinalRenderOptions,
): Promise<FinalResult> {
  // The program carries the photo's size, so it frames the scene as the photo does wherever it goes.
  const framed = withResolution(source, target);
  await writeFileAtomic(folder.program, framed);
  // Render in the pool's own folder and copy out, so the run folder holds each file once.
  const outDir = path.join(pool.workDir, `final-${path.basename(folder.dir)}-${++finalCounter}`);
  const blend = path.join(outDir, "scene.blend");
  const final = await pool.run({
    body: programBody(framed),
    outDir,
    saveBlend: blend,
    render: {
      width: target.width,
      height: target.height,
      samples: options.samples,
      seed: options.seed,
      views: [{ name: "final" }],
    },
  });
  if (!final.ok || !final.images[0]) {
    throw new SeigError(`the final render failed: ${final.error?.message ?? "no image"}`);
  }
  await copyFile(final.images[0].path, folder.final);
  await copyFile(blend, path.join(folder.dir, "scene.blend"));
  const models = createMetricModels({ semantic: options.semanticMetrics });
  const flat = flatImage(target);
  const flatPath = path.join(folder.dir, "flat.png");
  await saveImage(flat, flatPath);
  try {
    const metrics = await compareImages(target, await loadImage(folder.final, { maxSide: 0 }), models);
    const flatMetrics = await compareImages(target, flat, models);
    const render = { samples: options.samples, seed: options.seed };
    const orbitCount = options.orbitViews ?? ORBIT_VIEWS;
    // Started first, so it renders while the stages do.
    const orbit = orbitCount
      ? renderOrbitViews({
          pool,
          dir: folder.dir,
          source: framed,
          built: final,
          photo: target,
          ...render,
          count: orbitCount,
        })
      : null;
    orbit?.catch(() => {});
    const stages = await renderStages({
      pool,
      folder,
      stages: options.stages ?? [],
      target,
      final: { source: framed, image: folder.final },
      ...render,
      models,
    });
    const orbitViews =
      (await orbit?.catch((e: unknown) => unavailableOrbit(oneLine(e)))) ?? unavailableOrbit("not asked for");
    return {
      metrics,
      flat: compareWithFlat(metrics, flatMetrics, options.methodLabel),
      flatImage: flatPath,
      stageRenders: stages.stages,
      orbit: orbitViews,
      reportRenders: { stages: stages.renders, orbit: orbitViews.images.length },
    };
  } finally {
    await models.close();
  }
}

/** What run.json says about the report's own renders. */
export function reportRunFields(final: FinalResult): {
  reportRenders: ReportRenders;
  orbitViews: OrbitViews;
} {
  return { reportRenders: final.reportRenders, orbitViews: final.orbit };
}

function unavailableOrbit(why: string): OrbitViews {
  return { images: [], width: 1, height: 1, unavailable: why };
}
