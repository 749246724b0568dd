/**
 * Writes a SceneProgram back to text (the inverse of parseProgram) and cuts a program
 * into the body the worker runs.
 */
import { ProgramShapeError } from "../errors.ts";
import { STAGES } from "../stages/index.ts";
import { canonicalFooter } from "./footer.ts";
import { formatParamsLiteral } from "./params-literal.ts";
import type { SceneProgram } from "./parse.ts";
import { END_MARKER, normaliseSectionText, sectionMarker } from "./sections.ts";

export function assembleProgram(p: SceneProgram): string {
  const header = p.header === "" || p.header.endsWith("\n") ? p.header : p.header + "\n";
  const sections = STAGES.map(
    (stage) => `${sectionMarker(stage)}\n${normaliseSectionText(p.sections[stage])}`,
  );
  return `${header}PARAMS = ${formatParamsLiteral(p.params)}\n${sections.join("")}${p.footer}`;
}

function endMarkerOffset(source: string): number {
  const match = new RegExp(`^${END_MARKER}`, "m").exec(source);
  if (!match)
    throw new ProgramShapeError(
      `the scene program has no \`${END_MARKER}\` line; append the canonical footer`,
    );
  return match.index;
}

/** The text before the `# --- seig:end ---` line: what the worker screens and runs. */
export function programBody(source: string): string {
  const text = source.replace(/\r\n/g, "\n");
  return text.slice(0, endMarkerOffset(text));
}

/** A body (or a whole program with any footer) completed with the canonical footer. */
export function withCanonicalFooter(source: string): string {
  const text = source.replace(/\r\n/g, "\n");
  const match = new RegExp(`^${END_MARKER}`, "m").exec(text);
  const body = match ? text.slice(0, match.index) : text;
  return (body === "" || body.endsWith("\n") ? body : body + "\n") + canonicalFooter();
}
