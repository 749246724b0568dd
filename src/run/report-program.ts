/**
 * The program as the report shows it: the embedded scene library and the canonical footer
 * folded away (they are the same in every program), PARAMS and the four stage sections open;
 * and each stage's program against the stage before it, as a summary line and a unified diff.
 */

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import { diffPrograms, summariseProgramDiff } from "../program/diff.ts";
import type { ParamValue } from "../program/parse.ts";
import { escapeHtml } from "./report-html.ts";

hljs.registerLanguage("python", python);

export async function highlightCss(): Promise<string> {
  const require = createRequire(import.meta.url);
  return readFile(require.resolve("highlight.js/styles/github.css"), "utf8");
}

function code(text: string): string {
  return `<pre><code class="hljs language-python">${hljs.highlight(text, { language: "python" }).value}</code></pre>`;
}

function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Helpers (before PARAMS) and footer (from the end marker) folded; the whole text when the markers are missing. */
export function programHtml(source: string): string {
  const params = /^PARAMS[ \t]*=[ \t]*\{/m.exec(source);
  const end = /^# --- seig:end ---/m.exec(source);
  if (!params || !end || end.index < params.index) return code(source);
  const header = source.slice(0, params.index);
  const body = source.slice(params.index, end.index);
  const footer = source.slice(end.index);
  return `<details class="helpers"><summary>imports and scene library helpers (${lineCount(header)} lines, the same in every program)</summary>${code(header)}</details>
${code(body)}
<details class="footer"><summary>standalone footer (${lineCount(footer)} lines: scene reset, render settings, build(), main)</summary>${code(footer)}</details>`;
}

/** PARAMS entries named in the summary line; the rest are in the diff under it. */
const SUMMARY_PARAMS = 8;

function rounded(value: ParamValue): string {
  const round = (v: unknown): unknown =>
    typeof v === "number" ? Number(v.toPrecision(3)) : Array.isArray(v) ? v.map(round) : v;
  return JSON.stringify(round(value));
}

function diffLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("Index:") && !line.startsWith("====="))
    .map((line) => {
      const cls = line.startsWith("@@")
        ? "hunk"
        : line.startsWith("+") && !line.startsWith("+++")
          ? "add"
          : line.startsWith("-") && !line.startsWith("---")
            ? "del"
            : "";
      return cls ? `<span class="${cls}">${escapeHtml(line)}</span>` : escapeHtml(line);
    })
    .join("\n");
}

/** `stage`'s program against `previous`'s: what changed in one line, the unified diff folded under it. */
export function stageDiffHtml(stage: string, previous: string, before: string, after: string): string {
  let summary: string;
  let text: string;
  try {
    const d = diffPrograms(before, after, {
      before: `stages/${previous}/program.py`,
      after: `stages/${stage}/program.py`,
    });
    summary = summariseProgramDiff(d, { value: rounded, most: SUMMARY_PARAMS });
    text = d.text;
  } catch (e) {
    // A program that does not parse still gets a text diff of nothing: say why instead.
    summary = `not comparable: ${(e as Error).message}`;
    text = "";
  }
  const details = text
    ? `<details><summary>diff against ${escapeHtml(previous)}</summary><pre class="diff">${diffLines(text)}</pre></details>`
    : "";
  return `<div class="diff-section" data-stage="${escapeHtml(stage)}"><p><b>Changed from ${escapeHtml(previous)}:</b> ${escapeHtml(summary)}</p>${details}</div>`;
}
