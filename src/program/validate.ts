/**
 * The TypeScript-side check of a scene program: its shape (parseProgram), allowed imports,
 * unique PARAMS keys and reads of keys PARAMS does not have. It is a quick first screen;
 * the authoritative screen runs in Python inside the worker (src/blender/python/screen.py).
 */
import { ProgramShapeError } from "../errors.ts";
import { STAGES } from "../stages/index.ts";
import { programBody } from "./assemble.ts";
import { paramReads } from "./ownership.ts";
import { duplicateKeys, matchingBrace } from "./params-literal.ts";
import { ProgramParseError, parseProgram, type SceneProgram } from "./parse.ts";
import { sectionMarker } from "./sections.ts";

export const ALLOWED_MODULES: readonly string[] = ["bpy", "bmesh", "mathutils", "math", "random"];

export interface ProgramProblem {
  /** One line, starting with `line N:` when the line is known. */
  message: string;
  line: number | null;
}

export type ProgramValidation =
  | { ok: true; program: SceneProgram; problems: [] }
  | { ok: false; program: SceneProgram | null; problems: ProgramProblem[] };

function problem(message: string, line: number | null): ProgramProblem {
  return { message: line === null ? message : `line ${line}: ${message}`, line };
}

/** Imported top-level modules per line, from `import a, b as c` and `from a.b import c`. */
function importProblems(source: string): ProgramProblem[] {
  const found: ProgramProblem[] = [];
  for (const [i, line] of source.split("\n").entries()) {
    const plain = /^\s*import\s+(.+)$/.exec(line);
    const from = /^\s*from\s+(\S+)\s+import\b/.exec(line);
    const modules = plain
      ? plain[1]!
          .split("#")[0]!
          .split(",")
          .map((m) => m.trim().split(/\s+/)[0]!)
      : from
        ? [from[1]!]
        : [];
    for (const module of modules) {
      const root = module.startsWith(".") ? module : module.split(".")[0]!;
      if (!ALLOWED_MODULES.includes(root)) {
        found.push(
          problem(
            `import of \`${module}\` is not allowed; a scene program may import only ${ALLOWED_MODULES.join(", ")}`,
            i + 1,
          ),
        );
      }
    }
  }
  return found;
}

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split("\n").length;
}

/** Reads `P["key"]` of keys PARAMS lacks: each would stop the build with a KeyError. */
function missingKeyProblems(source: string, program: SceneProgram): ProgramProblem[] {
  const found: ProgramProblem[] = [];
  for (const stage of STAGES) {
    const marker = new RegExp(`^${sectionMarker(stage)}`, "m").exec(source)!;
    const firstLine = lineOf(source, marker.index) + 1;
    for (const read of paramReads(program.sections[stage])) {
      if (!Object.hasOwn(program.params, read.key)) {
        found.push(
          problem(
            `the ${stage} section reads P["${read.key}"] but PARAMS has no such key; add it to PARAMS or fix the name`,
            firstLine + read.line - 1,
          ),
        );
      }
    }
  }
  return found;
}

function duplicateKeyProblems(source: string): ProgramProblem[] {
  const start = /^PARAMS[ \t]*=[ \t]*\{/m.exec(source);
  if (!start) return [];
  const open = start.index + start[0].length - 1;
  const close = matchingBrace(source, open);
  if (close === -1) return [];
  return duplicateKeys(source.slice(open, close + 1)).map((d) =>
    problem(
      `PARAMS key "${d.key}" appears twice (only the last would count); remove one`,
      lineOf(source, open + d.offset),
    ),
  );
}

export function validateProgram(source: string): ProgramValidation {
  const text = source.replace(/\r\n/g, "\n");
  let program: SceneProgram;
  try {
    program = parseProgram(text);
  } catch (e) {
    if (e instanceof ProgramParseError)
      return { ok: false, program: null, problems: [{ message: e.message, line: e.line }] };
    throw e;
  }
  const body = programBody(text);
  const problems = [
    ...duplicateKeyProblems(body),
    ...importProblems(body),
    ...missingKeyProblems(text, program),
  ];
  return problems.length === 0 ? { ok: true, program, problems: [] } : { ok: false, program, problems };
}

/** validateProgram for callers that stop at the first problem: throws ProgramShapeError. */
export function assertValidProgram(source: string): SceneProgram {
  const result = validateProgram(source);
  if (result.ok) return result.program;
  const more =
    result.problems.length > 1
      ? ` (and ${result.problems.length - 1} more problem${result.problems.length > 2 ? "s" : ""})`
      : "";
  throw new ProgramShapeError(result.problems[0]!.message + more);
}
