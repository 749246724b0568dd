/** Colour helpers for analysis: sRGB ↔ linear (IEC 61966-2-1), luminance and chromaticity. */
export type Rgb3 = [number, number, number];

export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

export function luminance(c: readonly number[]): number {
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}

/** r, g, b divided by their sum: the colour with brightness taken out (shading and shadows change brightness). */
export function chromaticity(c: readonly number[]): Rgb3 {
  const s = c[0]! + c[1]! + c[2]! + 1e-3;
  return [c[0]! / s, c[1]! / s, c[2]! / s];
}

export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of the values inside the densest window of `width` (sorts `values` in place): a robust mode. */
export function densestMedian(values: number[], width: number): number {
  values.sort((a, b) => a - b);
  let best = { start: 0, count: 0 };
  for (let start = 0, end = 0; start < values.length; start++) {
    while (end < values.length && values[end]! - values[start]! <= width) end++;
    if (end - start > best.count) best = { start, count: end - start };
  }
  return median(values.slice(best.start, best.start + best.count));
}
