/**
 * A generator's reply to "rewrite your section": the section code and an optional PARAMS update.
 * Models often send the whole program instead; when every other section (and the header) is as it
 * was, that reply is cut down to the asked-for section and its PARAMS rather than thrown away.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { withCanonicalFooter } from "../program/assemble.ts";
import { compactSection } from "../program/compact.ts";
import { type Params, parseProgram, type SceneProgram } from "../program/parse.ts";
import { END_MARKER, SECTION_FUNCTIONS, sectionMarker } from "../program/sections.ts";
import { STAGES, type Stage } from "../stages/index.ts";
import { extractCode, extractJson, ModelOutputError, type Parsed } from "../vlm/parse.ts";

export interface SectionReply {
  section: string;
  params: Params;
}

const ParamsUpdate = z.object({ params: z.record(z.string(), z.any()) });

const bad = (reask: string): Parsed<SectionReply> => ({ ok: false, error: new ModelOutputError(reask) });

const normalise = (code: string) =>
  code
    .split("\n")
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .join("\n");

/** The whole program `code` cut to `stage`'s section, or why it cannot be (other parts changed). */
export function cutWholeProgram(code: string, stage: Stage, base: SceneProgram): Parsed<SectionReply> {
  let program: SceneProgram;
  try {
    program = parseProgram(withCanonicalFooter(code));
  } catch {
    return bad(
      `Send only the ${stage} section (starting with \`def ${SECTION_FUNCTIONS[stage]}(P):\`), not the whole program or other sections.`,
    );
  }
  // A section sent back as the prompt showed it (shortened) is unchanged too.
  const changed = STAGES.filter((s) => {
    const sent = normalise(program.sections[s]);
    return (
      s !== stage &&
      sent !== normalise(base.sections[s]) &&
      sent !== normalise(compactSection(s, base.sections[s]))
    );
  });
  if (changed.length) {
    return bad(
      `You sent the whole program and changed other sections too (${changed.join(", ")}). Send only the ${stage} section, starting with \`def ${SECTION_FUNCTIONS[stage]}(P):\`.`,
    );
  }
  // Only keys whose values differ are an update; the ownership check then judges them as usual.
  const params = Object.fromEntries(
    Object.entries(program.params).filter(([k, v]) => !isDeepStrictEqual(base.params[k], v)),
  );
  return { ok: true, value: { section: `${program.sections[stage].trim()}\n\n`, params } };
}

/**
 * The section code (and optional PARAMS update) in a generator reply. `base` is the program the
 * section goes into: with it, a whole program whose other sections are unchanged is cut down.
 */
export function parseSectionReply(text: string, stage: Stage, base?: SceneProgram): Parsed<SectionReply> {
  const code = extractCode(text);
  if (!code.ok) return code;
  const fn = SECTION_FUNCTIONS[stage];
  const marker = sectionMarker(stage);
  const whole = /^PARAMS\s*=/m.test(code.value) || code.value.includes(END_MARKER);
  if (whole && base) return cutWholeProgram(code.value, stage, base);
  // Models often repeat the marker line; it is ours to write, so drop it.
  const section = code.value
    .split("\n")
    .filter((l) => l.trim() !== marker)
    .join("\n");
  if (/^# --- seig:/m.test(section) || whole) {
    return bad(
      `Send only the ${stage} section (starting with \`def ${fn}(P):\`), not the whole program or other sections.`,
    );
  }
  if (!new RegExp(`^def[ \\t]+${fn}[ \\t]*\\(`, "m").test(section)) {
    return bad(
      `Your code does not define \`def ${fn}(P):\` at the start of a line. Send the complete ${stage} section.`,
    );
  }
  const update = extractJson(text, ParamsUpdate);
  return {
    ok: true,
    value: { section: `${section.trimEnd()}\n\n`, params: update.ok ? (update.value.params as Params) : {} },
  };
}
