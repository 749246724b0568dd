/**
 * Foreground against a render of the background alone: where the photo differs (residual.ts),
 * minus cast shadows (the background's hue, darkened by the ratio the coloured objects'
 * shadows show).
 */
import type { RgbImage } from "../../image/types.ts";
import { chromaticity, densestMedian, luminance, maxAbsDiff, type Rgb3 } from "./colour.ts";
import { components, opened, pixel } from "./mask.ts";
import { residualMap } from "./residual.ts";

/** The background's hue, darker: a cast shadow (or a grey object, which the residual finds later). */
export function isShadowPixel(p: Rgb3, background: Rgb3): boolean {
  const ratio = (luminance(p) + 0.005) / (luminance(background) + 0.005);
  return ratio > 0.08 && ratio < 0.9 && maxAbsDiff(chromaticity(p), chromaticity(background)) < 0.025;
}

function coefficientOfVariation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / Math.max(mean, 1e-6);
}

/** Below this fraction of non-shadow pixels a component is a shadow, or a grey object with its shadow. */
const COLOURED_FRACTION = 0.3;
/** A cast shadow darkens the ground evenly; a grey object's shading and reflections vary. */
const SHADOW_MAX_VARIATION = 0.3;
/** Cast-shadow pixels of coloured objects needed to trust their darkening ratio. */
const MIN_CAST_SHADOW_PIXELS = 20;
/** How far (log luminance ratio, about ±18 %) a pixel may be from the cast-shadow ratio and still be shadow. */
const SHADOW_RATIO_TOLERANCE = 0.17;
/** Width of the window the cast-shadow ratio is the densest of (log units). */
const SHADOW_CLUSTER_WIDTH = 0.1;

function logRatio(img: RgbImage, background: RgbImage, i: number): number {
  return Math.log((luminance(pixel(img, i)) + 0.005) / (luminance(pixel(background, i)) + 0.005));
}

/**
 * Foreground of `img` against a render of its background (same size): where the two differ,
 * minus cast shadows. Shadow-like pixels (the background's hue, darker) in components with
 * enough coloured pixels are mostly those objects' cast shadows, which tell how much a
 * shadow darkens the ground here (sky light over sun and sky: one ratio everywhere, the
 * densest cluster). Shadow-like pixels darkened by about that ratio are shadow; the others
 * are grey or black objects, touching a coloured one or not. Rims a pixel or two wide
 * (penumbrae) are dropped. Without coloured objects' shadows to measure, a component of
 * shadow-like pixels is kept whole when its brightness varies (a grey object) and dropped
 * when it is even (a shadow).
 */
export function foregroundMask(
  img: RgbImage,
  background: RgbImage,
  threshold: number,
  castShadows = true,
): Uint8Array {
  const residual = residualMap(img, background);
  const candidate = Uint8Array.from(residual, (r) => (r > threshold ? 1 : 0));
  if (!castShadows) return candidate;
  const comps = components(candidate, img.width, img.height).map((pixels) => {
    const shadowLike = pixels.map((i) => isShadowPixel(pixel(img, i), pixel(background, i)));
    const colouredCount = shadowLike.filter((s) => !s).length;
    return { pixels, shadowLike, coloured: colouredCount >= COLOURED_FRACTION * pixels.length };
  });
  const castLogs = comps
    .filter((c) => c.coloured)
    .flatMap((c) => c.pixels.filter((_, k) => c.shadowLike[k]).map((i) => logRatio(img, background, i)));
  const shadowLog =
    castLogs.length >= MIN_CAST_SHADOW_PIXELS ? densestMedian(castLogs, SHADOW_CLUSTER_WIDTH) : null;
  if (shadowLog !== null) {
    const keep = new Uint8Array(candidate.length);
    for (const { pixels, shadowLike } of comps)
      for (const [k, i] of pixels.entries())
        if (!shadowLike[k] || Math.abs(logRatio(img, background, i) - shadowLog) > SHADOW_RATIO_TOLERANCE)
          keep[i] = 1;
    return opened(keep, candidate, img.width, img.height);
  }
  const mask = new Uint8Array(candidate.length);
  for (const { pixels, shadowLike, coloured } of comps) {
    if (coloured) {
      for (const [k, i] of pixels.entries()) if (!shadowLike[k]) mask[i] = 1;
      continue;
    }
    const ratios = pixels.map(
      (i) => (luminance(pixel(img, i)) + 0.005) / (luminance(pixel(background, i)) + 0.005),
    );
    if (coefficientOfVariation(ratios) > SHADOW_MAX_VARIATION) for (const i of pixels) mask[i] = 1;
  }
  return mask;
}
