/**
 * The four sections of a scene program, in the fixed order the stages refine them, and
 * the marker lines that delimit them (docs/program-format.md). Each section's function name
 * is its stage's (src/stages/<stage>.ts).
 */
import { STAGE_DEFINITIONS, STAGES, type Stage } from "../stages/index.ts";
import type { SceneProgram } from "./parse.ts";

export const SECTION_FUNCTIONS: Readonly<Record<Stage, string>> = Object.fromEntries(
  STAGES.map((s) => [s, STAGE_DEFINITIONS[s].section]),
) as Record<Stage, string>;

export const END_MARKER = "# --- seig:end ---";

export function sectionMarker(stage: Stage): string {
  return `# --- seig:${stage} ---`;
}

/** Section text always ends with a newline so the next marker starts its own line. */
export function normaliseSectionText(text: string): string {
  return text.endsWith("\n") ? text : text + "\n";
}

/** A copy of `p` with one section's text replaced; PARAMS, header and footer are untouched. */
export function replaceSection(p: SceneProgram, stage: Stage, text: string): SceneProgram {
  return { ...p, sections: { ...p.sections, [stage]: normaliseSectionText(text) } };
}
