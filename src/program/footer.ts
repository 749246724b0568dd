/**
 * The canonical program footer: the text of src/blender/python/standalone.py, which the
 * worker appends to every program body and which makes a saved program runnable on its own.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { SeigError } from "../errors.ts";
import { END_MARKER } from "./sections.ts";

const FOOTER_FILE = new URL("../blender/python/standalone.py", import.meta.url);

/** Read on each call (it is small) so there is no cached state to go stale. */
export function canonicalFooter(): string {
  const text = readFileSync(FOOTER_FILE, "utf8").replace(/\r\n/g, "\n");
  if (!text.startsWith(END_MARKER + "\n")) {
    throw new SeigError(`${FOOTER_FILE.pathname} does not start with "${END_MARKER}"; reinstall seig`);
  }
  return text;
}

/**
 * SHA-256 of the canonical footers of earlier seig versions (git history of standalone.py).
 * A program saved by an earlier version still parses: its footer is seig's own, only older,
 * and every render appends the current one. Add the old hash here when standalone.py changes.
 */
const EARLIER_FOOTERS = new Set([
  "952b1ab73842ec20030d77e842b32ae033a12b8ab26bed13df2a36b3a4ce41e5",
  "fea91d3f6b6a0c5a0730b952c0876844215317271e4284aa6242fa56a1a6efd1",
  "f7545d98c302a3adebaa030a4bc875e01ee3075cfb71c5e8cfeaa8fd63e993d7",
  "981b48def8873d9531ba17316db742ce0c64f3d12e97f0cfc3fea34e3580da87",
]);

/** Whether `footer` is the canonical footer of this or an earlier seig version. */
export function isSeigFooter(footer: string): boolean {
  if (footer === canonicalFooter()) return true;
  return EARLIER_FOOTERS.has(createHash("sha256").update(footer).digest("hex"));
}
