/**
 * Initialisation of the offline method: the analysis proposes, render-and-compare fits.
 *
 * 1. Background: the ground, backdrop and camera prior from the photo's rows; the ground
 *    and backdrop colours corrected in closed form from a render of the background alone.
 * 2. Objects: regions where the photo differs from that background render (shadow-like
 *    pixels excepted), each turned into the primitive whose silhouette fits it best (two
 *    where one region holds two), standing on the ground.
 * 3. Camera: pitch × focal length on a small grid, the objects re-placed through each
 *    camera, the best render kept (scale stays unobservable: the camera is 11 m away).
 * 4. Sun: a sweep of directions at constant light on the ground; shadows and shading pick one.
 *    Then its elevation and the split of that light between sun and sky (how dark shadows are).
 * 5. Colours: closed form from the target/render ratio over each object's pixels.
 * 6. Objects: each object's place and size fitted together (fit-objects.ts).
 */

import type { RgbImage } from "../image/types.ts";
import type { SceneSpec } from "../program/scene-spec.ts";
import type { ProgressSink } from "../run/progress.ts";

type Sun = SceneSpec["sun"];

import { estimateBackground } from "./analysis/background.ts";
import { initialCamera, pitchFromHorizon } from "./analysis/camera.ts";
import { linearRatio, ratioColours } from "./analysis/colour-ratio.ts";
import { withShadowRatio } from "./analysis/light-balance.ts";
import { backgroundSpec, objectsFromSegments } from "./analysis/scaffold.ts";
import { type Segment, segmentObjects } from "./analysis/segment.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { FIT_PASSES, fitObjects } from "./fit-objects.ts";
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
}

export interface Initialisation {
  spec: SceneSpec;
  segments: Segment[];
  /** The chosen scene scored at the working level. */
  best: ScoredSpec;
}

const LENSES_MM = [35, 50, 70];
const PITCH_STEPS_DEG = [-8, 0, 8];
const SUN_AZIMUTHS_DEG = [-150, -105, -60, -15, 30, 75, 120, 165];
const SUN_ELEVATIONS_DEG = [35, 60];
/** Around the best sun: its elevation, and how much of the ground's light a cast shadow keeps (sky / (sun + sky)). */
const ELEVATION_STEPS_DEG = [-12, 0, 12];
const SHADOW_RATIOS = [0.12, 0.2, 0.3, 0.45];
const PRIOR_SHADOW_RATIO = 0.25;
/**
 * Regions kept, the largest: a photo the method does not suit (texture, clutter) can yield
 * hundreds, and each costs silhouette fits per camera and a dozen renders. The scenes the
 * method is made for have at most ten objects.
 */
const MAX_REGIONS = 16;

/** The `max` largest segments, in their original order (so scenes with fewer are untouched). */
function largest(segments: Segment[], max: number): Segment[] {
  if (segments.length <= max) return segments;
  const keep = new Set(
    segments
      .map((s, i) => ({ n: s.pixels.length, i }))
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .slice(0, max)
      .map((e) => e.i),
  );
  return segments.filter((_, i) => keep.has(i));
}

function groundPixels(img: RgbImage, horizonRow: number): number[] {
  return Array.from({ length: (img.height - horizonRow) * img.width }, (_, k) => horizonRow * img.width + k);
}

/** Ground and backdrop colours scaled by the target/render ratio over their rows (objects are a minority). */
function fitBackgroundColours(
  spec: SceneSpec,
  target: RgbImage,
  render: RgbImage,
  horizonRow: number,
): SceneSpec {
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0.005, v));
  const ground = linearRatio(target, render, groundPixels(target, horizonRow));
  const sky =
    horizonRow > 0
      ? linearRatio(
          target,
          render,
          Array.from({ length: horizonRow * target.width }, (_, k) => k),
        )
      : null;
  return {
    ...spec,
    ground:
      spec.ground && ground
        ? {
            ...spec.ground,
            color: spec.ground.color.map((c, i) => clamp(c * ground[i]!, 0.95)) as [number, number, number],
          }
        : spec.ground,
    world: sky
      ? {
          ...spec.world,
          color: spec.world.color.map((c, i) => clamp(c * sky[i]!, 1)) as [number, number, number],
        }
      : spec.world,
  };
}

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
  return 2 + LENSES_MM.length * PITCH_STEPS_DEG.length + sun + balance + 3 + FIT_PASSES * (6 * objects + 1);
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
  let spec = withShadowRatio(backgroundSpec(bg, img.width, img.height, 50), PRIOR_SHADOW_RATIO);
  const [first] = await scoreSpecs(evaluator, [spec], analysis);
  spec = fitBackgroundColours(spec, img, await renderedImage(first!), bg.horizonRow);
  const [second] = await scoreSpecs(evaluator, [spec], analysis);
  const backdrop = await renderedImage(second!);
  spec = fitBackgroundColours(spec, img, backdrop, bg.horizonRow);
  const found = segmentObjects(img, backdrop);
  const segments = largest(found, MAX_REGIONS);
  ctx.progress({
    type: "note",
    text: `analysis: ${found.length} regions differ from the background${found.length > segments.length ? `; the ${segments.length} largest are kept` : ""}`,
  });

  const basePitch = pitchFromHorizon(bg.horizonRow, img.width, img.height, 50);
  const cameras = LENSES_MM.flatMap((lens) =>
    PITCH_STEPS_DEG.map((step) => {
      const pitch =
        bg.horizonRow > 0
          ? pitchFromHorizon(bg.horizonRow, img.width, img.height, lens) + step / 2
          : basePitch + step;
      return initialCamera(Math.min(80, Math.max(5, pitch)), img.width, img.height, lens);
    }),
  );
  const withCamera = cameras.map((cam) => ({
    ...spec,
    camera: { location: cam.location, lookAt: cam.lookAt, lensMm: cam.lensMm, sensorMm: cam.sensorMm },
    objects: objectsFromSegments(img, segments, cam).map((o) => o.object),
  }));
  let best = bestOf(await scoreSpecs(evaluator, withCamera, working));
  const n = best.spec.objects.length;
  ctx.progress({ type: "note", text: `camera: ${best.spec.camera.lensMm} mm lens, ${n} objects` });
  await report(n, best);
  const early = (): Initialisation | null => (stop() ? { spec: best.spec, segments, best } : null);
  let cut = early();
  if (cut) return cut;

  const sunSteps = [sunSweep, shadowBalance];
  for (const step of sunSteps) {
    if (n === 0 || !fits(step.renders)) break;
    best = bestOf([best, ...(await scoreSpecs(evaluator, step(best.spec), working))]);
    await report(n, best);
    cut = early();
    if (cut) return cut;
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
  cut = early();
  if (cut) return cut;
  best = await fitObjects(evaluator, best, working, fits);
  await report(n, best);
  return { spec: best.spec, segments, best };
}
