/**
 * Initialisation of the offline method: the analysis proposes, render-and-compare fits.
 *
 * 1. Background: the frame says whether the photo shows a ground (ground or top-down scenes)
 *    or a backdrop (an object, a close-up; scene-kind-cue.ts, kind-plan.ts). A ground gets
 *    its ground and sky from the photo's rows, a backdrop a world of its colour and no ground;
 *    their colours are corrected in closed form from a render of the background alone.
 * 2. Objects: regions where the photo differs from that background render (shadow-like
 *    pixels excepted), each turned into the primitive whose silhouette fits it best (two
 *    where one region holds two), standing on the ground (an invisible one for a backdrop,
 *    where touching regions become the parts of one thing, floating.ts).
 * 3. Camera: pitch × focal length over the kind's range, the objects re-fitted through each
 *    camera, the best pitch refined (camera-search.ts); a ground seen from 60° or steeper is
 *    a top-down scene.
 * 4. Sun: a sweep of directions at constant light on the ground; shadows and shading pick one.
 *    Then its elevation and the split of that light between sun and sky (how dark shadows are).
 * 5. Colours: closed form from the target/render ratio over each object's pixels.
 * 6. Objects: each object's place and size fitted together (fit-objects.ts).
 */

import type { SceneKindChoice, SceneKindRecord } from "../program/scene-kind.ts";
import type { SceneSpec } from "../program/scene-spec.ts";
import type { ProgressSink } from "../run/progress.ts";

type Sun = SceneSpec["sun"];

import { estimateBackground, surfaceBackground } from "./analysis/background.ts";
import { ratioColours } from "./analysis/colour-ratio.ts";
import { withShadowRatio } from "./analysis/light-balance.ts";
import { sceneKindCue } from "./analysis/scene-kind-cue.ts";
import type { Segment } from "./analysis/segment.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { FIT_PASSES, fitObjects } from "./fit-objects.ts";
import { chosenFamily, type Family, groundPlan, kindRecord } from "./kind-plan.ts";
import { buildScaffold, type Scaffold } from "./kind-scaffold.ts";
import { bestOf, renderedImage, type ScoredSpec, scoreSpecs } from "./spec-scoring.ts";

export interface InitContext {
  evaluator: RenderEvaluator;
  /** Segmentation and colour fits run here (about 160 px). */
  analysis: RenderLevel;
  /** Camera and sun choices are scored here. */
  working: RenderLevel;
  progress: ProgressSink;
  /** Checked after each step once there is a scene to keep: true ends initialisation early with the best so far (--time-limit). */
  stop?: () => boolean;
  /** Whether `n` more renders fit the run's budget; the sun search and the place-and-size fit are skipped when not. */
  fits?: (n: number) => boolean;
  /** The best scene so far, after each step: its loss and render (for a live view). */
  onBest?: (loss: number, image: string | null) => Promise<void>;
  /** The scaffold to build (`auto`: the analysis chooses). */
  sceneKind?: SceneKindChoice;
}

export interface Initialisation {
  spec: SceneSpec;
  segments: Segment[];
  /** The chosen scene scored at the working level. */
  best: ScoredSpec;
  kind: SceneKindRecord;
}

/** The camera search's renders, about (kind-plan.ts): only shown as progress. */
const CAMERA_RENDERS = 27;
const SUN_AZIMUTHS_DEG = [-150, -105, -60, -15, 30, 75, 120, 165];
const SUN_ELEVATIONS_DEG = [35, 60];
/** Around the best sun: its elevation, and how much of the ground's light a cast shadow keeps (sky / (sun + sky)). */
const ELEVATION_STEPS_DEG = [-12, 0, 12];
const SHADOW_RATIOS = [0.12, 0.2, 0.3, 0.45];

/** The same light on the ground (sun · sin(elevation)) from another direction. */
function sunFrom(sun: Sun, elevationDeg: number, azimuthDeg: number): Sun {
  const sin = (d: number) => Math.sin((d * Math.PI) / 180);
  return {
    ...sun,
    elevationDeg,
    azimuthDeg,
    strength: (sun.strength * sin(sun.elevationDeg)) / sin(elevationDeg),
  };
}

/** Sun directions at constant light on the ground: shadows and shading pick one. */
function sunSweep(spec: SceneSpec): SceneSpec[] {
  return SUN_ELEVATIONS_DEG.flatMap((el) =>
    SUN_AZIMUTHS_DEG.map((az) => ({ ...spec, sun: sunFrom(spec.sun, el, az) })),
  );
}
sunSweep.renders = SUN_AZIMUTHS_DEG.length * SUN_ELEVATIONS_DEG.length;

/** Around the sun found: its elevation, and how dark its shadows are (the split of light between sun and sky). */
function shadowBalance(spec: SceneSpec): SceneSpec[] {
  const { elevationDeg, azimuthDeg } = spec.sun;
  return ELEVATION_STEPS_DEG.flatMap((step) =>
    SHADOW_RATIOS.map((ratio) =>
      withShadowRatio(
        { ...spec, sun: sunFrom(spec.sun, Math.min(85, Math.max(10, elevationDeg + step)), azimuthDeg) },
        ratio,
      ),
    ),
  );
}
shadowBalance.renders = ELEVATION_STEPS_DEG.length * SHADOW_RATIOS.length;

/** Renders initialisation makes with `objects` objects (the place-and-size fit's combined renders aside). */
function expectedRenders(objects: number): number {
  const sun = objects > 0 ? SUN_AZIMUTHS_DEG.length * SUN_ELEVATIONS_DEG.length : 0;
  const balance = objects > 0 ? ELEVATION_STEPS_DEG.length * SHADOW_RATIOS.length : 0;
  return 2 + CAMERA_RENDERS + sun + balance + 3 + FIT_PASSES * (6 * objects + 1);
}

/** Progress of initialisation, as the stages report theirs: the share of its expected renders made. */
function reporter(ctx: InitContext): (objects: number, best: ScoredSpec) => Promise<void> {
  const first = ctx.evaluator.renders;
  // Shown to the user only: no decision reads the clock.
  const started = Date.now();
  let iteration = 0;
  return async (objects, best) => {
    const done = ctx.evaluator.renders - first;
    ctx.progress({
      type: "iteration",
      stage: "initialisation",
      iteration: ++iteration,
      bestLoss: best.loss,
      renders: ctx.evaluator.renders,
      elapsedSeconds: (Date.now() - started) / 1000,
      etaSeconds: null,
      fraction: Math.min(1, done / expectedRenders(objects)),
    });
    await ctx.onBest?.(best.loss, best.image);
  };
}

export async function initialise(ctx: InitContext): Promise<Initialisation> {
  const { evaluator, analysis, working } = ctx;
  const stop = ctx.stop ?? (() => false);
  const fits = ctx.fits ?? (() => true);
  const report = reporter(ctx);
  const img = analysis.target;
  const bg = estimateBackground(img);
  const cue = sceneKindCue(img);
  const choice = ctx.sceneKind ?? "auto";
  // A plain border may be a backdrop or a plain surface seen from above: both are built, the closer render wins.
  const families: Family[] =
    choice === "auto" && cue.plain ? ["floating", "ground"] : [chosenFamily(choice, cue)];
  // A band of one colour across the frame may be a table top rather than a ground running to the horizon: both are built.
  const surface = surfaceBackground(img, bg);
  const variants = families.flatMap((family) =>
    family === "ground" &&
    surface &&
    choice !== "topdown" &&
    groundPlan(choice, surface, img.width, img.height).grid.length > 0
      ? [
          { family, bg },
          { family, bg: surface },
        ]
      : [{ family, bg }],
  );
  const built: Scaffold[] = [];
  for (const v of variants)
    built.push(await buildScaffold({ evaluator, analysis, working }, v.family, choice, cue, v.bg));
  const scaffold = built.reduce((a, b) => (b.best.loss < a.best.loss ? b : a));
  const { segments } = scaffold;
  ctx.progress({
    type: "note",
    text: `analysis: ${scaffold.regions} regions differ from the background${scaffold.regions > segments.length ? `; the ${segments.length} largest are kept` : ""}${built.length > 1 ? `; scaffolds: ${built.map((b) => `${b.family}${b.surface ? " (bounded surface)" : ""} loss ${b.best.loss.toFixed(5)}`).join(", ")}` : ""}`,
  });
  let best = scaffold.best;
  const family = scaffold.family;
  const kind = kindRecord(
    choice,
    family === "floating" ? cue.floatingKind : "ground",
    cue.evidence,
    scaffold.pitchDeg,
  );
  const n = best.spec.objects.length;
  ctx.progress({
    type: "note",
    text: `scene kind: ${kind.kind} (${kind.source}: ${kind.evidence}); camera: ${best.spec.camera.lensMm} mm lens, ${n} objects`,
  });
  await report(n, best);
  const done = (): Initialisation => ({ spec: best.spec, segments, best, kind });
  if (stop()) return done();

  // Without a ground there is no cast shadow to balance, and the sky is the backdrop itself.
  const sunSteps = family === "floating" ? [sunSweep] : [sunSweep, shadowBalance];
  for (const step of sunSteps) {
    if (n === 0 || !fits(step.renders)) break;
    best = bestOf([best, ...(await scoreSpecs(evaluator, step(best.spec), working))]);
    await report(n, best);
    if (stop()) return done();
  }

  const [atAnalysis] = await scoreSpecs(evaluator, [best.spec], analysis);
  const [backdropNow] = await scoreSpecs(evaluator, [{ ...best.spec, objects: [] }], analysis);
  const coloured = ratioColours(
    best.spec,
    img,
    await renderedImage(atAnalysis!),
    await renderedImage(backdropNow!),
  );
  const [scored] = await scoreSpecs(evaluator, [coloured], working);
  if (scored!.loss < best.loss) best = scored!;
  await report(n, best);
  if (stop()) return done();
  best = await fitObjects(evaluator, best, working, fits);
  await report(n, best);
  return done();
}
