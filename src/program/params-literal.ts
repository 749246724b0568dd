/**
 * The PARAMS literal as text: it must read the same as JSON (in TypeScript) and as a dict
 * display (in Python), so it is scanned here for what one side accepts and the other does
 * not, and written back in one stable, diff-friendly layout.
 */

export type ParamValue = number | string | ParamValue[] | { [key: string]: ParamValue };
export type Params = Record<string, ParamValue>;

interface Token {
  kind: "punct" | "string" | "number" | "word" | "comment" | "other";
  text: string;
  offset: number;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
    else if (text[i] === "\n") return i - 1;
  }
  return text.length - 1;
}

// One capture group per kind, in the order of KINDS; whitespace matches none and is skipped.
const TOKEN =
  /\s+|([{}[\]:,])|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(#[^\n]*)|([-+.\d][\w.+-]*)|(\w+)|(.)/y;
const KINDS: Token["kind"][] = ["punct", "string", "comment", "number", "word", "other"];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const token = new RegExp(TOKEN, "y");
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const group = m.slice(1).findIndex((g) => g !== undefined);
    if (group >= 0) tokens.push({ kind: KINDS[group]!, text: m[0], offset: m.index });
  }
  return tokens;
}

/**
 * Offset of the `}` that closes the `{` at `open`, skipping strings (either quote) and
 * comments, or -1 when it is never closed.
 */
export function matchingBrace(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") i = stringEnd(source, i);
    else if (c === "#") i = source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return c === "}" ? i : -1;
    }
  }
  return -1;
}

const WORD_ADVICE: Record<string, string> = {
  True: "write 1 instead",
  False: "write 0 instead",
  None: "leave the key out instead",
  true: "Python cannot read it; write 1 instead",
  false: "Python cannot read it; write 0 instead",
  null: "Python cannot read it; leave the key out instead",
};

/**
 * The first thing in a PARAMS literal that JSON or Python would not read the same way, as
 * (offset, what is wrong and what to write instead), or null when there is none.
 */
export function firstNonJsonToken(literal: string): { offset: number; problem: string } | null {
  const tokens = tokenize(literal);
  for (const [i, t] of tokens.entries()) {
    const next = tokens[i + 1];
    if (t.kind === "word") {
      return {
        offset: t.offset,
        problem: `\`${t.text}\` is not a JSON value; ${WORD_ADVICE[t.text] ?? "quote strings with double quotes"}`,
      };
    }
    if (t.kind === "string" && (t.text[0] === "'" || !t.text.endsWith('"') || t.text.length < 2)) {
      return { offset: t.offset, problem: `${t.text} is not a double-quoted, closed JSON string` };
    }
    if (t.kind === "comment")
      return { offset: t.offset, problem: "comments are not allowed inside PARAMS; put them above it" };
    if (t.kind === "number" && !JSON_NUMBER.test(t.text)) {
      return { offset: t.offset, problem: `\`${t.text}\` is not a JSON number (write e.g. 0.5, -2, 1e-3)` };
    }
    if (t.kind === "other") return { offset: t.offset, problem: `unexpected \`${t.text}\`` };
    if (t.text === "," && next && (next.text === "}" || next.text === "]")) {
      return { offset: t.offset, problem: "trailing comma; remove it" };
    }
  }
  return null;
}

/** Keys that appear twice in the same object of a PARAMS literal (JSON.parse keeps only the last). */
export function duplicateKeys(literal: string): { key: string; offset: number }[] {
  const found: { key: string; offset: number }[] = [];
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (const t of tokenize(literal)) {
    const top = stack.at(-1);
    if (t.text === "{") stack.push({ keys: new Set(), expectKey: true });
    else if (t.text === "[") stack.push({ keys: null, expectKey: false });
    else if (t.text === "}" || t.text === "]") stack.pop();
    else if (t.text === "," && top?.keys) top.expectKey = true;
    else if (t.kind === "string" && top?.keys && top.expectKey) {
      const key = JSON.parse(t.text) as string;
      if (top.keys.has(key)) found.push({ key, offset: t.offset });
      top.keys.add(key);
      top.expectKey = false;
    }
  }
  return found;
}

/** Path of the first value that is not a ParamValue (booleans, null, non-finite numbers), or null. */
export function firstInvalidValue(value: unknown, path: string): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (typeof value === "string") return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = firstInvalidValue(v, `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const bad = firstInvalidValue(v, `${path}[${JSON.stringify(k)}]`);
      if (bad) return bad;
    }
    return null;
  }
  return path;
}

function isScalar(v: ParamValue): boolean {
  return typeof v === "number" || typeof v === "string";
}

function formatValue(value: ParamValue, indent: string): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`PARAMS cannot hold ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return `[${value.map((v) => formatValue(v, inner)).join(", ")}]`;
    return `[\n${value.map((v) => inner + formatValue(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatValue(v, inner)}`).join(",\n")}\n${indent}}`;
}

/** PARAMS as written into a program: one key per line, 2-space indent, flat lists on one line. */
export function formatParamsLiteral(params: Params): string {
  return formatValue(params, "");
}
