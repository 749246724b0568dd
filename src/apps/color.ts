/** Colours typed by people (hex sRGB) to what programs hold (linear RGB in [0, 1]). */
import { InputError } from "../errors.ts";

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function hexToLinear(hex: string): [number, number, number] {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) throw new InputError(`"${hex}" is not a colour like #ff8800`);
  const value = Number.parseInt(match[1]!, 16);
  const channels = [value >> 16, (value >> 8) & 255, value & 255];
  return channels.map((c) => Math.round(srgbToLinear(c / 255) * 1e4) / 1e4) as [number, number, number];
}
