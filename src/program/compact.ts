/**
 * A program as a prompt shows it when only one section is being worked on: that section in full,
 * PARAMS in full, and everything else shortened to what a reader needs to call into it — helper
 * signatures with the first line of their docstring, and for each other section the PARAMS keys it
 * reads. It is still a well-formed program (functions whose bodies are `...`), so tools that parse
 * prompts keep working, and it is several times shorter than the whole program.
 */

import { STAGES, type Stage } from "../stages/index.ts";
import { paramReads } from "./ownership.ts";
import type { SceneProgram } from "./parse.ts";
import { SECTION_FUNCTIONS } from "./sections.ts";

/** A top-level `def` with its body replaced by its docstring's first line and `...`. */
function shortenDef(lines: readonly string[]): string[] {
  const signatureEnd = lines.findIndex((l) => /:\s*(#.*)?$/.test(l));
  const signature = lines.slice(0, signatureEnd + 1);
  const first = lines.slice(signatureEnd + 1).find((l) => l.trim() !== "");
  const doc = first && /^\s+("""|''')/.exec(first) ? first.trim().replace(/^("""|''')|("""|''')$/g, "") : "";
  return [...signature, ...(doc ? [`    """${doc.trim()}"""`] : []), "    ..."];
}

/** The header with every top-level function shortened; imports, constants and comments stay. */
export function compactHeader(header: string): string {
  const lines = header.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!/^def\s/.test(lines[i]!)) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && (lines[end]!.trim() === "" || /^\s/.test(lines[end]!))) end++;
    // Trailing blank lines belong to the gap between functions, not to the body.
    let last = end;
    while (last > i + 1 && lines[last - 1]!.trim() === "") last--;
    out.push(...shortenDef(lines.slice(i, last)), ...lines.slice(last, end));
    i = end;
  }
  return out.join("\n");
}

/** Another section in one line of code: its function, what it reads, and how long it really is. */
export function compactSection(stage: Stage, code: string): string {
  const keys = [...new Set(paramReads(code).map((r) => r.key))];
  const length = code.split("\n").filter((l) => l.trim() !== "").length;
  const reads = keys.length ? `reads ${keys.map((k) => `P["${k}"]`).join(", ")}` : "reads no PARAMS";
  return `def ${SECTION_FUNCTIONS[stage]}(P):\n    ...  # not shown (${length} lines); ${reads}\n\n`;
}

/** The program with `keep`'s section in full and the rest shortened (see the file comment). */
export function compactProgram(p: SceneProgram, keep: Stage): SceneProgram {
  return {
    ...p,
    header: compactHeader(p.header),
    sections: Object.fromEntries(
      STAGES.map((s) => [s, s === keep ? p.sections[s] : compactSection(s, p.sections[s])]),
    ) as Record<Stage, string>,
  };
}
