/**
 * One family's scaffold (kind-plan.ts): its background scene with colours fitted in closed
 * form, the regions where the photo differs from that background's render, and the camera
 * searched with the objects fitted to those regions through it (camera-search.ts).
 */
import type { RgbImage } from "../image/types.ts";
import type { SceneKindChoice } from "../program/scene-kind.ts";
import type { SceneObject, SceneSpec } from "../program/scene-spec.ts";
import type { Background } from "./analysis/background.ts";
import {
  boundedGroundSize,
  cameraBasis,
  initialCamera,
  type PinholeCamera,
  surfacePitch,
} from "./analysis/camera.ts";
import { linearRatio } from "./analysis/colour-ratio.ts";
import { backdropPixels, floatingSpec, namedAsParts, touchingGroups } from "./analysis/floating.ts";
import { withShadowRatio } from "./analysis/light-balance.ts";
import { backgroundSpec, objectsFromSegments } from "./analysis/scaffold.ts";
import type { KindCue } from "./analysis/scene-kind-cue.ts";
import { DEFAULT_SEGMENT_OPTIONS, type Segment, segmentObjects } from "./analysis/segment.ts";
import { objectsFromTopView, TOP_VIEW_PITCH_DEG } from "./analysis/top-view.ts";
import { searchCamera } from "./camera-search.ts";
import type { RenderEvaluator, RenderLevel } from "./evaluator.ts";
import { type Family, floatingPlan, groundPlan } from "./kind-plan.ts";
import { renderedImage, type ScoredSpec, scoreSpecs } from "./spec-scoring.ts";

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

function groundPixels(img: RgbImage, bg: Background): number[] {
  const end = bg.groundEnd ?? img.height;
  return Array.from({ length: (end - bg.horizonRow) * img.width }, (_, k) => bg.horizonRow * img.width + k);
}

/** The background scene of a ground: a bounded surface is seen through the camera its edges fix. */
function groundSpec(bg: Background, width: number, height: number): SceneSpec {
  const spec = withShadowRatio(backgroundSpec(bg, width, height, BACKGROUND_LENS_MM), PRIOR_SHADOW_RATIO);
  if (bg.groundEnd === undefined || !spec.ground) return spec;
  const pitch = surfacePitch(bg.horizonRow, bg.groundEnd, width, height, BACKGROUND_LENS_MM);
  const cam = pitch === null ? null : initialCamera(pitch, width, height, BACKGROUND_LENS_MM);
  const size = cam ? boundedGroundSize(cam, bg.horizonRow) : null;
  if (!cam || size === null) return spec;
  return {
    ...spec,
    camera: { ...spec.camera, location: cam.location, lookAt: cam.lookAt },
    ground: { ...spec.ground, size },
  };
}

const BACKGROUND_LENS_MM = 50;

/** Target pixels showing the ground and the sky (backdrop), over which their colours are fitted. */
interface ColourPixels {
  ground: number[];
  sky: number[];
}

/** Ground and backdrop colours scaled by the target/render ratio over their pixels (objects are a minority). */
function fitBackgroundColours(
  spec: SceneSpec,
  target: RgbImage,
  render: RgbImage,
  pixels: ColourPixels,
): SceneSpec {
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0.005, v));
  const ground = linearRatio(target, render, pixels.ground);
  const sky = linearRatio(target, render, pixels.sky);
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

/** The background scene of the family and the target pixels its colours are fitted over. */
function backgroundOf(
  family: Family,
  cue: KindCue,
  bg: Background,
  img: RgbImage,
): { spec: SceneSpec; pixels: ColourPixels } {
  if (family === "floating") {
    return {
      spec: floatingSpec(cue.backdrop, img.width, img.height, 30, 50),
      pixels: { ground: [], sky: backdropPixels(img, cue.backdrop) },
    };
  }
  return {
    spec: groundSpec(bg, img.width, img.height),
    pixels: {
      ground: groundPixels(img, bg),
      sky: Array.from({ length: bg.horizonRow * img.width }, (_, k) => k),
    },
  };
}

/**
 * Objects for the regions through a camera: standing things seen from the side, lying things
 * seen from above on a steep ground camera; in a floating scene touching regions are parts of one thing.
 */
function placer(
  family: Family,
  img: RgbImage,
  segments: Segment[],
  gain: readonly number[],
): (cam: PinholeCamera) => SceneObject[] {
  const groups = family === "floating" ? touchingGroups(segments, img.width, img.height) : null;
  return (cam) => {
    const pitch = (Math.asin(-cameraBasis(cam).forward[2]) * 180) / Math.PI;
    const fromAbove = family === "ground" && pitch >= TOP_VIEW_PITCH_DEG;
    const found = fromAbove
      ? objectsFromTopView(img, segments, cam)
      : objectsFromSegments(img, segments, cam, { outlines: family === "floating" });
    const objects = found.map((f) => withGain(f.object, gain));
    return groups
      ? namedAsParts(
          objects,
          found.map((f) => segments.indexOf(f.segment)),
          groups,
        )
      : objects;
  };
}

/**
 * How much the closed-form fit changed the background's colour: the renderer's light and view
 * transform differ from the analysis's guess by about that much for every surface, so the
 * objects' first colours are corrected by it too (their own fit comes after the camera).
 */
function gainOf(before: SceneSpec, after: SceneSpec): number[] {
  const [a, b] =
    before.ground && after.ground
      ? [before.ground.color, after.ground.color]
      : [before.world.color, after.world.color];
  return [0, 1, 2].map((c) => Math.min(4, Math.max(0.25, b[c]! / Math.max(a[c]!, 1e-3))));
}

function withGain(o: SceneObject, gain: readonly number[]): SceneObject {
  return { ...o, color: o.color.map((v, c) => Math.min(0.95, v * gain[c]!)) as SceneObject["color"] };
}

/** The same light on the ground from nearly straight above. */
function overhead(sun: SceneSpec["sun"]): SceneSpec["sun"] {
  const sin = (d: number) => Math.sin((d * Math.PI) / 180);
  return {
    ...sun,
    elevationDeg: OVERHEAD_DEG,
    strength: (sun.strength * sin(sun.elevationDeg)) / sin(OVERHEAD_DEG),
  };
}

const OVERHEAD_DEG = 85;

export interface Scaffold {
  family: Family;
  best: ScoredSpec;
  segments: Segment[];
  /** Regions found before the largest were kept. */
  regions: number;
  pitchDeg: number;
  /** The ground is a bounded surface (a table top) rather than running to the horizon. */
  surface: boolean;
}

export interface ScaffoldLevels {
  evaluator: RenderEvaluator;
  analysis: RenderLevel;
  working: RenderLevel;
}

export async function buildScaffold(
  { evaluator, analysis, working }: ScaffoldLevels,
  family: Family,
  choice: SceneKindChoice,
  cue: KindCue,
  bg: Background,
): Promise<Scaffold> {
  const img = analysis.target;
  const background = backgroundOf(family, cue, bg, img);
  let spec = background.spec;
  const [first] = await scoreSpecs(evaluator, [spec], analysis);
  spec = fitBackgroundColours(spec, img, await renderedImage(first!), background.pixels);
  const [second] = await scoreSpecs(evaluator, [spec], analysis);
  const backdrop = await renderedImage(second!);
  spec = fitBackgroundColours(spec, img, backdrop, background.pixels);
  const found = segmentObjects(img, backdrop, {
    ...DEFAULT_SEGMENT_OPTIONS,
    castShadows: family !== "floating",
  });
  const segments = largest(found, MAX_REGIONS);
  const plan = family === "floating" ? floatingPlan() : groundPlan(choice, bg, img.width, img.height);
  // Shadows cast the wrong way would favour cameras that hide them: the camera is judged under an overhead sun (the sun sweep comes after).
  spec = { ...spec, sun: overhead(spec.sun) };
  const camera = await searchCamera(
    evaluator,
    working,
    spec,
    plan,
    placer(family, img, segments, gainOf(background.spec, spec)),
    img,
  );
  const surface = family === "ground" && bg.groundEnd !== undefined;
  return { family, best: camera.best, segments, regions: found.length, pitchDeg: camera.pitchDeg, surface };
}
