/**
 * Turns a stage's offline tunables into the box the search explores: one dimension per
 * tuned number of a PARAMS key the stage owns, grouped by the thing it belongs to (one
 * object, the camera, the sun…) so the search can tune one thing at a time.
 */
import type { Params, ParamValue } from "../program/parse.ts";
import type { OfflineTunable, ParamRange, StageDefinition } from "../stages/stage.ts";

export interface Dimension {
  key: string;
  /** Index into a vector value; null for a scalar. */
  component: number | null;
  start: number;
  lower: number;
  upper: number;
}

export interface ParamGroup {
  /** The thing the keys belong to: an object name, `camera`, `sun`… */
  name: string;
  dims: Dimension[];
}

const NAMED_OWNERS = new Set(["camera", "sun", "world", "ground", "render"]);

function ownerOf(thing: string): OfflineTunable["owner"] {
  return (NAMED_OWNERS.has(thing) ? thing : "object") as OfflineTunable["owner"];
}

function bounds(range: ParamRange, start: number): [number, number] {
  if (range.kind === "absolute") return [range.min, range.max];
  if (range.kind === "delta") return [start - range.by, start + range.by];
  const a = start * range.min;
  const b = start * range.max;
  return [Math.min(a, b), Math.max(a, b)];
}

function dimensionsFor(key: string, value: ParamValue, tunable: OfflineTunable): Dimension[] {
  const make = (start: number, component: number | null): Dimension => {
    const [lower, upper] = bounds(tunable.range, start);
    // The search box must hold its own start, even for a value outside the usual range.
    return { key, component, start, lower: Math.min(lower, start), upper: Math.max(upper, start) };
  };
  if (typeof value === "number") return [make(value, null)];
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) {
    const components = tunable.components ?? value.map((_, i) => i);
    return components.filter((i) => i < value.length).map((i) => make(value[i] as number, i));
  }
  return [];
}

/** The groups a stage tunes, restricted to `owned` (the keys its section reads). */
export function searchSpace(params: Params, owned: readonly string[], stage: StageDefinition): ParamGroup[] {
  const groups = new Map<string, Dimension[]>();
  for (const key of [...owned].sort()) {
    const dot = key.indexOf(".");
    if (dot < 0 || !(key in params)) continue;
    const thing = key.slice(0, dot);
    const quantity = key.slice(dot + 1);
    const tunable = stage.offline.tunables.find((t) => t.quantity === quantity && t.owner === ownerOf(thing));
    if (!tunable) continue;
    const dims = dimensionsFor(key, params[key]!, tunable);
    if (dims.length > 0) groups.set(thing, [...(groups.get(thing) ?? []), ...dims]);
  }
  return [...groups].map(([name, dims]) => ({ name, dims }));
}

/** The PARAMS overrides that set `dims` to `x` (only the keys the dimensions touch). */
export function paramsFromVector(params: Params, dims: readonly Dimension[], x: readonly number[]): Params {
  const out: Params = {};
  dims.forEach((d, i) => {
    const v = x[i]!;
    if (d.component === null) {
      out[d.key] = v;
      return;
    }
    const current = (out[d.key] ?? params[d.key]) as ParamValue[];
    const next = [...current];
    next[d.component] = v;
    out[d.key] = next;
  });
  return out;
}
