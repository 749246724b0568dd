/**
 * Text from untrusted sources (a worker's reply, a program's error) before it is shown or
 * stored: terminal control characters (ESC sequences, CR overprinting, BEL, …) are removed,
 * so a message cannot rewrite the user's terminal or hide lines.
 */

// C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Keeps tabs and newlines (tracebacks, captured output); drops every other control character. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}

/** One line: control characters dropped, line breaks and tabs turned into spaces. */
export function cleanLine(text: string): string {
  return stripControl(text).replace(/[\t\n]+/g, " ");
}

/** Cleans every string and object key inside parsed JSON. */
export function scrubJson(value: unknown): unknown {
  if (typeof value === "string") return stripControl(value);
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripControl(k), scrubJson(v)]));
  }
  return value;
}
