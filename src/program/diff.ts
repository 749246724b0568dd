/**
 * What changed between two versions of a scene program, part by part (for candidate
 * checks and logs) and as a unified text diff (for reports).
 */
import { isDeepStrictEqual } from "node:util";
import { createTwoFilesPatch } from "diff";
import { STAGES, type Stage } from "../stages/index.ts";
import { assembleProgram } from "./assemble.ts";
import { type ParamValue, parseProgram, type SceneProgram } from "./parse.ts";

export interface ParamsDiff {
  added: { key: string; value: ParamValue }[];
  removed: { key: string; value: ParamValue }[];
  changed: { key: string; before: ParamValue; after: ParamValue }[];
}

export interface ProgramDiff {
  headerChanged: boolean;
  /** Sections whose text differs, in stage order. */
  sectionsChanged: Stage[];
  footerChanged: boolean;
  params: ParamsDiff;
  /** Unified diff of the whole program text; empty when the texts are equal. */
  text: string;
}

export function diffParams(before: SceneProgram["params"], after: SceneProgram["params"]): ParamsDiff {
  const result: ParamsDiff = { added: [], removed: [], changed: [] };
  for (const [key, value] of Object.entries(before)) {
    if (!Object.hasOwn(after, key)) result.removed.push({ key, value });
    else if (!isDeepStrictEqual(value, after[key]))
      result.changed.push({ key, before: value, after: after[key]! });
  }
  for (const [key, value] of Object.entries(after)) {
    if (!Object.hasOwn(before, key)) result.added.push({ key, value });
  }
  return result;
}

function asText(program: string | SceneProgram): string {
  return typeof program === "string" ? program.replace(/\r\n/g, "\n") : assembleProgram(program);
}

/** Either side may be program text or a parsed program; text need not have the canonical footer. */
export function diffPrograms(
  beforeProgram: string | SceneProgram,
  afterProgram: string | SceneProgram,
  names: { before?: string; after?: string } = {},
): ProgramDiff {
  const before = asText(beforeProgram);
  const after = asText(afterProgram);
  const a = parseProgram(before, { requireCanonicalFooter: false });
  const b = parseProgram(after, { requireCanonicalFooter: false });
  const text =
    before === after
      ? ""
      : createTwoFilesPatch(
          names.before ?? "before/program.py",
          names.after ?? "after/program.py",
          before,
          after,
          undefined,
          undefined,
          {
            context: 3,
          },
        );
  return {
    headerChanged: a.header !== b.header,
    sectionsChanged: STAGES.filter((s) => a.sections[s] !== b.sections[s]),
    footerChanged: a.footer !== b.footer,
    params: diffParams(a.params, b.params),
    text,
  };
}

export interface DiffSummaryOptions {
  /** How a PARAMS value is written (default: JSON). */
  value?: (value: ParamValue) => string;
  /** At most this many PARAMS listed, then "and N more" (default: all). */
  most?: number;
}

/** One line for logs, e.g. `geometry section; PARAMS mug.size [1,1,1] → [1,1,2]`; "no change" when equal. */
export function summariseProgramDiff(d: ProgramDiff, options: DiffSummaryOptions = {}): string {
  const show = options.value ?? ((v: ParamValue) => JSON.stringify(v));
  const parts: string[] = [];
  if (d.headerChanged) parts.push("header");
  if (d.sectionsChanged.length)
    parts.push(`${d.sectionsChanged.join(", ")} section${d.sectionsChanged.length > 1 ? "s" : ""}`);
  const p = d.params;
  const params = [
    ...p.changed.map((c) => `${c.key} ${show(c.before)} → ${show(c.after)}`),
    ...p.added.map((c) => `+${c.key} ${show(c.value)}`),
    ...p.removed.map((c) => `-${c.key}`),
  ];
  if (params.length && options.most === undefined) parts.push(`PARAMS ${params.join(", ")}`);
  else if (params.length) {
    const more = params.length > options.most! ? ` and ${params.length - options.most!} more` : "";
    parts.push(`PARAMS (${params.length}): ${params.slice(0, options.most).join(", ")}${more}`);
  }
  if (d.footerChanged) parts.push("footer");
  return parts.length ? parts.join("; ") : "no change";
}
