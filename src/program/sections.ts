/**
 * The four sections of a scene program, in the fixed order the stages refine them, and
 * the marker lines and function names that delimit and define them (docs/program-format.md).
 */
import type { SceneProgram } from "./parse.ts";

export const STAGES = ["geometry", "material", "composition", "lighting"] as const;
export type Stage = (typeof STAGES)[number];

export const SECTION_FUNCTIONS: Readonly<Record<Stage, string>> = {
  geometry: "build_geometry",
  material: "build_materials",
  composition: "compose",
  lighting: "build_lighting",
};

export const END_MARKER = "# --- seig:end ---";

export function sectionMarker(stage: Stage): string {
  return `# --- seig:${stage} ---`;
}

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** Section text always ends with a newline so the next marker starts its own line. */
export function normaliseSectionText(text: string): string {
  return text.endsWith("\n") ? text : text + "\n";
}

/** A copy of `p` with one section's text replaced; PARAMS, header and footer are untouched. */
export function replaceSection(p: SceneProgram, stage: Stage, text: string): SceneProgram {
  return { ...p, sections: { ...p.sections, [stage]: normaliseSectionText(text) } };
}
