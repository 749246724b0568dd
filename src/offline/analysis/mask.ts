/** Pixel-grid helpers for masks: a pixel's colour, its 4-neighbours, connected components, opening. */
import type { RgbImage } from "../../image/types.ts";
import type { Rgb3 } from "./colour.ts";

export function pixel(img: RgbImage, i: number): Rgb3 {
  return [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
}

export function neighbours(i: number, w: number, h: number): number[] {
  const x = i % w;
  const y = (i - x) / w;
  const out: number[] = [];
  if (x > 0) out.push(i - 1);
  if (x + 1 < w) out.push(i + 1);
  if (y > 0) out.push(i - w);
  if (y + 1 < h) out.push(i + w);
  return out;
}

/** 4-connected components of a mask, as lists of pixel indices. */
export function components(mask: Uint8Array, width: number, height: number): number[][] {
  const seen = new Uint8Array(mask.length);
  const out: number[][] = [];
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || seen[seed]) continue;
    seen[seed] = 1;
    const pixels = [seed];
    for (let k = 0; k < pixels.length; k++)
      for (const j of neighbours(pixels[k]!, width, height))
        if (mask[j] && !seen[j]) {
          seen[j] = 1;
          pixels.push(j);
        }
    out.push(pixels);
  }
  return out;
}

/** `keep` without the pixels that have a 4-neighbour outside it, then grown back inside `within`: drops rims one or two pixels wide (penumbrae). */
export function opened(keep: Uint8Array, within: Uint8Array, width: number, height: number): Uint8Array {
  const eroded = keep.map((v, i) => (v && neighbours(i, width, height).every((j) => keep[j]) ? 1 : 0));
  return eroded.map((v, i) =>
    v || (keep[i] && within[i] && neighbours(i, width, height).some((j) => eroded[j])) ? 1 : 0,
  );
}
