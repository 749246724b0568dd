/**
 * Getting code and JSON out of free-form model replies. Failures are values (`Parsed`), not throws:
 * the agent's usual reaction is to ask again, sending `error.reask` back to the model.
 */
import type { z } from "zod";
import { SeigError } from "../errors.ts";

/** A reply that cannot be used. `reask` is written for the model; `message` is its first line, for logs. */
export class ModelOutputError extends SeigError {
  readonly reask: string;
  constructor(reask: string) {
    super(reask.split("\n")[0]!);
    this.reask = reask;
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ModelOutputError };

type Fence = { lang: string; body: string; closed: boolean };

const FENCE_OPEN = /^ {0,3}(`{3,})[ \t]*([\w+.-]*)[^`]*$/;
const PYTHON_LANGS = new Set(["python", "py", "python3"]);

function fail<T>(reask: string): Parsed<T> {
  return { ok: false, error: new ModelOutputError(reask) };
}

/** Markdown fenced blocks, line by line; a closing fence needs at least as many backticks as its opener. */
function fencedBlocks(text: string): Fence[] {
  const blocks: Fence[] = [];
  let open: { ticks: number; lang: string; lines: string[] } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (open) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(line);
      if (close && close[1]!.length >= open.ticks) {
        blocks.push({ lang: open.lang, body: open.lines.join("\n"), closed: true });
        open = null;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = FENCE_OPEN.exec(line);
    if (start) open = { ticks: start[1]!.length, lang: start[2]!.toLowerCase(), lines: [] };
  }
  if (open) blocks.push({ lang: open.lang, body: open.lines.join("\n"), closed: false });
  return blocks;
}

/**
 * The Python code in a reply. Prefers ```python blocks, then untagged ``` blocks, then the whole reply
 * when it has no fences at all. Among several blocks it takes the LARGEST (ties: the last): models
 * often show a short snippet ("change this line") before or after the full program, and the full
 * program is what gets executed.
 */
export function extractCode(text: string): Parsed<string> {
  const blocks = fencedBlocks(text);
  if (blocks.some((b) => !b.closed)) {
    return fail(
      "Your reply ends inside an unclosed ``` block, so it was probably cut off. Send the complete code again in one ```python block, more concisely.",
    );
  }
  if (blocks.length === 0) {
    const code = text.trim();
    return code
      ? { ok: true, value: code }
      : fail("Your reply was empty. Send the code in one ```python block.");
  }
  const python = blocks.filter((b) => PYTHON_LANGS.has(b.lang));
  const candidates = python.length > 0 ? python : blocks.filter((b) => b.lang === "");
  if (candidates.length === 0) {
    const langs = [...new Set(blocks.map((b) => b.lang))].join(", ");
    return fail(
      `Your reply has code blocks (${langs}) but no Python block. Send the code in one \`\`\`python block.`,
    );
  }
  const largest = candidates.reduce((best, b) => (b.body.length >= best.body.length ? b : best));
  const code = largest.body.trim();
  return code ? { ok: true, value: code } : fail("Your ```python block is empty. Send the complete code.");
}

/** The end index (exclusive) of the bracketed JSON value starting at `start`, or -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") stack.push("}");
    else if (c === "[") stack.push("]");
    else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

type JsonCandidate = { text: string; nested: boolean };

/**
 * Places JSON may hide in a reply, most deliberate first: fenced blocks, the whole reply, bracketed
 * spans. Spans inside another span are `nested`: tried, but never blamed for the shape of the answer.
 */
function jsonCandidates(text: string): JsonCandidate[] {
  const fenced = fencedBlocks(text)
    .filter((b) => b.closed && (b.lang === "json" || b.lang === ""))
    .map((b) => ({ text: b.body, nested: false }));
  const spans: JsonCandidate[] = [];
  let outerEnd = -1;
  // Bounded so a long reply full of braces cannot make this quadratic in practice.
  for (let i = 0; i < text.length && spans.length < 64; i++) {
    if (text[i] !== "{" && text[i] !== "[") continue;
    const end = balancedEnd(text, i);
    if (end < 0) continue;
    spans.push({ text: text.slice(i, end), nested: i < outerEnd });
    outerEnd = Math.max(outerEnd, end);
  }
  return [...fenced, { text: text.trim(), nested: false }, ...spans];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `at ${issue.path.length ? issue.path.join(".") : "the top level"}: ${issue.message}`)
    .join("; ");
}

/**
 * The first JSON value in a reply that satisfies `schema`. When JSON is found but does not fit, the
 * error names the mismatches so the model can fix them.
 */
export function extractJson<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let shapeError: z.ZodError | null = null;
  for (const candidate of jsonCandidates(text)) {
    let value: unknown;
    try {
      value = JSON.parse(candidate.text);
    } catch {
      continue;
    }
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, value: result.data };
    if (!candidate.nested) shapeError ??= result.error;
  }
  if (shapeError) {
    return fail(
      `Your JSON does not have the required shape (${describeIssues(shapeError)}). ` +
        "Reply again with the corrected JSON only, in one ```json block.",
    );
  }
  return fail(
    "Your reply contains no valid JSON. Reply with the JSON only, in one ```json block, with no comments or trailing commas.",
  );
}

/**
 * Unclosed brackets or an unterminated triple-quoted string at the end of Python or JSON text.
 * Single-quoted strings end at a newline, as in Python, so an apostrophe in prose cannot hide the rest.
 */
function endsOpen(code: string): boolean {
  const closes: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const stack: string[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "#") {
      const nl = code.indexOf("\n", i);
      i = nl < 0 ? code.length : nl + 1;
    } else if ((c === '"' || c === "'") && code.startsWith(c.repeat(3), i)) {
      const end = code.indexOf(c.repeat(3), i + 3);
      if (end < 0) return true;
      i = end + 3;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < code.length && code[i] !== c && code[i] !== "\n") i += code[i] === "\\" ? 2 : 1;
      i++;
    } else {
      if (c === "(" || c === "[" || c === "{") stack.push(c);
      else if (closes[c] && stack[stack.length - 1] === closes[c]) stack.pop();
      i++;
    }
  }
  return stack.length > 0;
}

/** Whether a reply was probably cut off: the provider says so, a fence never closes, or code ends open. */
export function looksTruncated(text: string, finishReason?: string): boolean {
  if (finishReason === "length") return true;
  const blocks = fencedBlocks(text);
  if (blocks.some((b) => !b.closed)) return true;
  const code = blocks.length > 0 ? blocks.map((b) => b.body) : [text];
  return code.some(endsOpen);
}
