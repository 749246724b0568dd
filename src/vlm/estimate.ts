/**
 * Token estimates before a call is made (for --dry-run and --max-cost): four characters of text per
 * token and width × height / 750 tokens per image (Anthropic's published rule; OpenAI's tiles and
 * Gemini's 258-token images come out within a factor of about two for the agent's small renders).
 * An estimate, never a bill: the provider's reported usage is what the run records.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { Part } from "./message.ts";

export const CHARS_PER_TOKEN = 4;

export function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function imageTokensForSize(width: number, height: number): number {
  return Math.ceil((width * height) / 750);
}

/** Width and height from a PNG's header, or null when the file is missing or not a PNG. */
export function pngSize(file: string): { width: number; height: number } | null {
  const head = Buffer.alloc(24);
  let fd: number | null = null;
  try {
    fd = openSync(file, "r");
    if (readSync(fd, head, 0, 24, 0) < 24 || head.toString("latin1", 12, 16) !== "IHDR") return null;
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Input tokens of a request. `sizeOf` gives an image's size (default: read from its file; a dry run
 * passes the sizes renders will have, since they do not exist yet).
 */
export function estimateInputTokens(
  system: string,
  parts: readonly Part[],
  sizeOf: (path: string) => { width: number; height: number } | null = pngSize,
): number {
  let tokens = textTokens(system);
  for (const part of parts) {
    if (part.type === "text") tokens += textTokens(part.text);
    else {
      const size = sizeOf(part.path) ?? { width: 512, height: 512 };
      tokens += textTokens(part.label) + imageTokensForSize(size.width, size.height);
    }
  }
  return tokens;
}
