/**
 * The shell commands documentation shows: fenced shell blocks of Markdown files (every line
 * of a bash/sh block; `$ `-prompted lines, with the output shown under them, of a plain or
 * console block) and inline code spans that start with `seig `.
 */
export interface DocCommand {
  /** `file:line`, for failure messages. */
  where: string;
  text: string;
  /** The command split into words as a POSIX shell would, environment assignments removed. */
  words: string[];
  /** Lines shown under a `$ ` command: what it prints. */
  output: string[];
  /** The comment after the command, if any (`# clevr_000`). */
  comment: string;
}

const SHELL_LANGUAGES = new Set(["bash", "sh", "shell", "console", ""]);

/** Splits a command line into words (quotes and backslashes as in sh) and its trailing comment. */
export function shellWords(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const push = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === "#" && word === null) {
      // A # that starts a word starts a comment; no word is pending, so there is nothing to push.
      return { words, comment: line.slice(i + 1).trim() };
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  push();
  return { words, comment: "" };
}

function withoutAssignments(words: string[]): string[] {
  let start = 0;
  while (start < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!)) start++;
  return words.slice(start);
}

function command(where: string, text: string, output: string[] = []): DocCommand | null {
  const { words, comment } = shellWords(text);
  const cleaned = withoutAssignments(words);
  return cleaned.length ? { where, text, words: cleaned, output, comment } : null;
}

/** Lines of a shell block, continuation lines (ending in `\`) joined. */
function joinContinuations(lines: { text: string; line: number }[]): { text: string; line: number }[] {
  const joined: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | null = null;
  for (const entry of lines) {
    const text: string = pending ? `${pending.text} ${entry.text.trim()}` : entry.text;
    const line: number = pending ? pending.line : entry.line;
    if (text.endsWith("\\")) pending = { text: text.slice(0, -1), line };
    else {
      joined.push({ text, line });
      pending = null;
    }
  }
  if (pending) joined.push(pending);
  return joined;
}

function blockCommands(file: string, language: string, lines: { text: string; line: number }[]) {
  const found: DocCommand[] = [];
  const prompted = language === "" || language === "console";
  for (const { text, line } of joinContinuations(lines)) {
    const trimmed = text.trim();
    const where = `${file}:${line}`;
    if (prompted) {
      if (trimmed.startsWith("$ ")) {
        const c = command(where, trimmed.slice(2));
        if (c) found.push(c);
      } else if (trimmed && found.length) found.at(-1)!.output.push(trimmed);
      continue;
    }
    const c = command(where, trimmed.replace(/^\$ /, ""));
    if (c) found.push(c);
  }
  return found;
}

/** Every command of every shell block of a Markdown file. */
export function fencedCommands(file: string, markdown: string): DocCommand[] {
  const found: DocCommand[] = [];
  let block: { language: string; lines: { text: string; line: number }[] } | null = null;
  for (const [i, text] of markdown.split("\n").entries()) {
    const fence = /^\s*```\s*([\w-]*)\s*$/.exec(text);
    if (fence && !block) block = { language: fence[1]!.toLowerCase(), lines: [] };
    else if (fence && block) {
      if (SHELL_LANGUAGES.has(block.language))
        found.push(...blockCommands(file, block.language, block.lines));
      block = null;
    } else if (block) block.lines.push({ text, line: i + 1 });
  }
  return found;
}

/** Inline code spans that show a `seig` command line (usage lines in tables and prose). */
export function inlineSeigSpans(file: string, markdown: string): { where: string; text: string }[] {
  const spans: { where: string; text: string }[] = [];
  let inFence = false;
  for (const [i, line] of markdown.split("\n").entries()) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) continue;
    for (const m of line.matchAll(/`(seig [^`]+)`/g))
      spans.push({ where: `${file}:${i + 1}`, text: m[1]!.replace(/\\\|/g, "|") });
  }
  return spans;
}
