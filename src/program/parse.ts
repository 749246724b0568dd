/**
 * Reads a scene program (docs/program-format.md) into its parts: header, PARAMS, the four
 * sections and the footer. Every shape problem is a ProgramParseError whose one-line
 * message names the line and says what to change.
 */
import { ProgramShapeError } from "../errors.ts";
import { STAGES, type Stage } from "../stages/index.ts";
import { canonicalFooter, isSeigFooter } from "./footer.ts";
import { firstInvalidValue, firstNonJsonToken, matchingBrace, type Params } from "./params-literal.ts";
import { SECTION_FUNCTIONS } from "./sections.ts";

export type { Params, ParamValue } from "./params-literal.ts";

export interface SceneProgram {
  /** Everything before the `PARAMS = {` line: version comment, imports, shared helpers. */
  header: string;
  params: Params;
  /** Text after each marker line up to the next marker line. */
  sections: Record<Stage, string>;
  /** From the `# --- seig:end ---` line to the end of the file. */
  footer: string;
}

/** A ProgramShapeError that also carries the 1-based line it is about, when there is one. */
export class ProgramParseError extends ProgramShapeError {
  readonly line: number | null;
  constructor(message: string, line: number | null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}

export interface ParseOptions {
  /** Reject a footer that differs from src/blender/python/standalone.py (default true). */
  requireCanonicalFooter?: boolean;
}

const MARKER_LINE = /^# --- seig:(\S*) ---[ \t]*$/;
const MARKER_LIKE = /^#\s*-+\s*seig:/;
const PARAMS_LINE = /^PARAMS[ \t]*=[ \t]*\{/m;
const MARKER_NAMES: readonly string[] = [...STAGES, "end"];

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source[i] === "\n") line++;
  return line;
}

interface Marker {
  name: string;
  /** Offset of the marker line's first character and of the line after it. */
  start: number;
  bodyStart: number;
  line: number;
}

function findMarkers(source: string): Marker[] {
  const markers: Marker[] = [];
  let start = 0;
  let line = 1;
  while (start < source.length) {
    const newline = source.indexOf("\n", start);
    const end = newline === -1 ? source.length : newline;
    const text = source.slice(start, end);
    if (MARKER_LIKE.test(text)) {
      const name = MARKER_LINE.exec(text)?.[1];
      if (name === undefined || !MARKER_NAMES.includes(name)) {
        throw new ProgramParseError(
          `\`${text.trim()}\` is not a seig marker; the markers are ${MARKER_NAMES.map((n) => `\`# --- seig:${n} ---\``).join(", ")}`,
          line,
        );
      }
      markers.push({ name, start, bodyStart: Math.min(end + 1, source.length), line });
    }
    start = end + 1;
    line++;
  }
  return markers;
}

/** The five markers in order, or an error naming the first duplicate, missing or misplaced one. */
function orderedMarkers(source: string): Marker[] {
  const markers = findMarkers(source);
  const seen = new Map<string, Marker>();
  for (const m of markers) {
    const first = seen.get(m.name);
    if (first)
      throw new ProgramParseError(
        `second \`# --- seig:${m.name} ---\` marker (the first is on line ${first.line}); remove one`,
        m.line,
      );
    seen.set(m.name, m);
  }
  for (const name of MARKER_NAMES) {
    if (!seen.has(name)) {
      const advice =
        name === "end"
          ? "append the canonical footer (src/blender/python/standalone.py)"
          : `put it on its own line before \`def ${SECTION_FUNCTIONS[name as Stage]}(P):\``;
      throw new ProgramParseError(
        `the scene program has no \`# --- seig:${name} ---\` marker line; ${advice}`,
        null,
      );
    }
  }
  for (const [i, m] of markers.entries()) {
    const expected = MARKER_NAMES[i]!;
    if (m.name !== expected) {
      throw new ProgramParseError(
        `marker \`# --- seig:${m.name} ---\` is out of order; sections must come in the order ${MARKER_NAMES.join(", ")} (expected \`# --- seig:${expected} ---\` here)`,
        m.line,
      );
    }
  }
  return markers;
}

function jsonProblem(e: unknown, literal: string): { problem: string; offset: number | null } {
  const message = e instanceof Error ? e.message : String(e);
  const position = /at position (\d+)/.exec(message);
  const problem = message
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, "")
    .replace(/ in JSON at position \d+.*$/s, "");
  return { problem, offset: position ? Math.min(Number(position[1]), literal.length) : null };
}

function parseParams(
  source: string,
  before: number,
  geometryLine: number,
): { header: string; params: Params; end: number } {
  const match = PARAMS_LINE.exec(source.slice(0, before));
  if (!match) {
    throw new ProgramParseError(
      `no \`PARAMS = {\` line before the geometry marker (line ${geometryLine}); add \`PARAMS = {}\` at the start of a line above it`,
      null,
    );
  }
  const open = match.index + match[0].length - 1;
  const paramsLine = lineAt(source, match.index);
  const close = matchingBrace(source, open);
  if (close === -1 || close >= before) {
    throw new ProgramParseError(
      "the `{` of PARAMS is never closed before the geometry marker; close it with `}`",
      paramsLine,
    );
  }
  const literal = source.slice(open, close + 1);
  const lexical = firstNonJsonToken(literal);
  if (lexical) {
    throw new ProgramParseError(
      `PARAMS is not a JSON object literal: ${lexical.problem}`,
      lineAt(source, open + lexical.offset),
    );
  }
  let params: Params;
  try {
    params = JSON.parse(literal) as Params;
  } catch (e) {
    const { problem, offset } = jsonProblem(e, literal);
    throw new ProgramParseError(
      `PARAMS is not a JSON object literal: ${problem}`,
      offset === null ? paramsLine : lineAt(source, open + offset),
    );
  }
  const bad = firstInvalidValue(params, "PARAMS");
  if (bad) {
    throw new ProgramParseError(
      `${bad} is not a number, string, list or object; PARAMS holds only those (no true/false/null)`,
      paramsLine,
    );
  }
  const trailing = /\S/.exec(source.slice(close + 1, before));
  if (trailing) {
    throw new ProgramParseError(
      "text between PARAMS and the geometry marker; move it into the header (above PARAMS) or into a section",
      lineAt(source, close + 1 + trailing.index),
    );
  }
  return { header: source.slice(0, match.index), params, end: close };
}

function checkFooter(footer: string, endLine: number): void {
  if (isSeigFooter(footer)) return;
  const canonical = canonicalFooter();
  const got = footer.split("\n");
  const want = canonical.split("\n");
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  throw new ProgramParseError(
    "the footer (from `# --- seig:end ---` on) is not seig's canonical footer; replace it with the text of src/blender/python/standalone.py",
    endLine + i,
  );
}

export function parseProgram(source: string, options: ParseOptions = {}): SceneProgram {
  const text = source.replace(/\r\n/g, "\n");
  const markers = orderedMarkers(text);
  const geometry = markers[0]!;
  const end = markers[4]!;
  const { header, params } = parseParams(text, geometry.start, geometry.line);
  const sections = {} as Record<Stage, string>;
  for (const [i, stage] of STAGES.entries()) {
    const marker = markers[i]!;
    const body = text.slice(marker.bodyStart, markers[i + 1]!.start);
    const fn = SECTION_FUNCTIONS[stage];
    if (!new RegExp(`^def[ \\t]+${fn}[ \\t]*\\(`, "m").test(body)) {
      throw new ProgramParseError(
        `the ${stage} section does not define \`def ${fn}(P):\` at the start of a line; add it below this marker`,
        marker.line,
      );
    }
    sections[stage] = body;
  }
  const written = text.slice(end.start);
  if (options.requireCanonicalFooter ?? true) checkFooter(written, end.line);
  // An earlier version's footer is brought up to date, so a saved program that is edited and
  // written back renders alone exactly as the pool renders it.
  const footer = isSeigFooter(written) ? canonicalFooter() : written;
  return { header, params, sections, footer };
}
