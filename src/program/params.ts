/**
 * Reading and writing single PARAMS values by key, keeping each value's type and shape
 * (a number stays a number, a 3-vector stays a 3-vector), and packing numeric keys into a
 * flat vector for the numeric search.
 */
import { InputError } from "../errors.ts";
import type { Params, ParamValue, SceneProgram } from "./parse.ts";

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Known keys near `key`: small edit distance, or the same quantity or object part. */
export function closeKeys(key: string, known: string[], limit = 3): string[] {
  const threshold = Math.max(2, Math.floor(key.length / 3));
  const scored = known
    .map((k) => {
      const d = editDistance(key.toLowerCase(), k.toLowerCase());
      const related = k.endsWith("." + key) || k.startsWith(key + ".");
      return { k, score: related ? Math.min(d, threshold) - 0.5 : d };
    })
    .filter((s) => s.score <= threshold)
    .sort((x, y) => x.score - y.score || x.k.localeCompare(y.k));
  return scored.slice(0, limit).map((s) => s.k);
}

function unknownKey(key: string, params: Params): InputError {
  const close = closeKeys(key, Object.keys(params));
  const hint = close.length
    ? `did you mean ${close.map((k) => `"${k}"`).join(", ")}?`
    : "run `seig params` to list the keys";
  return new InputError(`PARAMS has no key "${key}"; ${hint}`);
}

export function getParam(p: SceneProgram, key: string): ParamValue {
  if (!Object.hasOwn(p.params, key)) throw unknownKey(key, p.params);
  return p.params[key]!;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return typeof value === "number" ? `number ${value}` : `${typeof value} ${JSON.stringify(value)}`;
}

/** Why `value` cannot replace `current` (different type or length), or null when it can. */
function shapeMismatch(current: ParamValue, value: unknown, path: string): string | null {
  if (typeof current === "number") {
    return typeof value === "number" && Number.isFinite(value)
      ? null
      : `${path} is a finite number, not ${describe(value)}`;
  }
  if (typeof current === "string")
    return typeof value === "string" ? null : `${path} is a string, not ${describe(value)}`;
  if (Array.isArray(current)) {
    if (!Array.isArray(value) || value.length !== current.length)
      return `${path} is a list of ${current.length}, not ${describe(value)}`;
    for (const [i, c] of current.entries()) {
      const bad = shapeMismatch(c, value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return `${path} is an object, not ${describe(value)}`;
  const given = value as Record<string, unknown>;
  const keys = Object.keys(current);
  if (Object.keys(given).length !== keys.length || !keys.every((k) => Object.hasOwn(given, k))) {
    return `${path} is an object with keys ${keys.join(", ")}`;
  }
  for (const k of keys) {
    const bad = shapeMismatch(current[k]!, given[k], `${path}.${k}`);
    if (bad) return bad;
  }
  return null;
}

/** A copy of `p` with one existing key set to a value of the same type and shape. */
export function setParam(p: SceneProgram, key: string, value: unknown): SceneProgram {
  const current = getParam(p, key);
  const bad = shapeMismatch(current, value, `"${key}"`);
  if (bad) throw new InputError(`cannot set ${bad}; give a value like ${JSON.stringify(current)}`);
  return { ...p, params: { ...p.params, [key]: structuredClone(value as ParamValue) } };
}

/**
 * Reads a value typed on the command line in the shape of `current`: `0.5`, `1,0,0` or
 * `[1, 0, 0]` for numbers and vectors, plain text for strings, JSON otherwise.
 */
export function parseParamText(text: string, current: ParamValue): unknown {
  if (typeof current === "string") return text;
  const trimmed = text.trim();
  if (typeof current === "number" && trimmed !== "" && Number.isFinite(Number(trimmed)))
    return Number(trimmed);
  if (Array.isArray(current) && current.every((c) => typeof c === "number") && !trimmed.startsWith("[")) {
    return trimmed
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new InputError(`cannot read "${text}" as a value like ${JSON.stringify(current)}`);
  }
}

function numericParts(params: Params, key: string): number[] {
  if (!Object.hasOwn(params, key)) throw unknownKey(key, params);
  const value = params[key]!;
  if (typeof value === "number") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) return value as number[];
  throw new InputError(
    `PARAMS "${key}" is not a number or a list of numbers, so it cannot be searched numerically`,
  );
}

/** The numbers of `keys`, in order, flattened (a 3-vector contributes three entries). */
export function flattenNumeric(params: Params, keys: string[]): number[] {
  return keys.flatMap((key) => numericParts(params, key));
}

/** The inverse of flattenNumeric: a copy of `params` with `keys` set from `values`. */
export function unflattenNumeric(params: Params, keys: string[], values: readonly number[]): Params {
  const expected = flattenNumeric(params, keys).length;
  if (values.length !== expected) {
    throw new RangeError(
      `unflattenNumeric: ${keys.length} keys hold ${expected} numbers but ${values.length} were given`,
    );
  }
  const result: Params = { ...params };
  let at = 0;
  for (const key of keys) {
    const length = numericParts(params, key).length;
    result[key] = typeof params[key] === "number" ? values[at]! : values.slice(at, at + length);
    at += length;
  }
  return result;
}
