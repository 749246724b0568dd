/**
 * Where two images differ, as an image: |a − b| per pixel, mean over RGB, on a
 * black → red → yellow → white ramp (the same ramp as the web app's compare view,
 * web/src/compare-view.ts, so a heatmap reads the same in the report and the browser).
 * Differences of a third of the range and more are white.
 */
import { type RgbImage, rgbImage } from "./types.ts";

export function differenceHeatmap(a: RgbImage, b: RgbImage): RgbImage {
  if (a.width !== b.width || a.height !== b.height)
    throw new RangeError(`heatmap of ${a.width}×${a.height} against ${b.width}×${b.height}: sizes differ`);
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i += 3) {
    const d =
      (Math.abs(a.data[i]! - b.data[i]!) +
        Math.abs(a.data[i + 1]! - b.data[i + 1]!) +
        Math.abs(a.data[i + 2]! - b.data[i + 2]!)) /
      3;
    const t = Math.min(1, d * 3);
    out[i] = Math.min(1, t * 3);
    out[i + 1] = Math.max(0, Math.min(1, t * 3 - 1));
    out[i + 2] = Math.max(0, Math.min(1, t * 3 - 2));
  }
  return rgbImage(a.width, a.height, out, `difference of ${a.source} and ${b.source}`);
}
