/**
 * The canonical program footer: the text of src/blender/python/standalone.py, which the
 * worker appends to every program body and which makes a saved program runnable on its own.
 */
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
