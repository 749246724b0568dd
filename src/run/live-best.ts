/**
 * The best render so far, as it improves: copied to `<run>/live/best.png` (a PNG, whatever the
 * search rendered) and announced as a `best` progress event — at most once per interval, because
 * a search can improve many times a second and a page only needs to see it move. A stage's own
 * best.png still comes at its end, so an improvement skipped here is never lost for good.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { renderPng } from "../image/bmp.ts";
import { writeFileAtomic } from "./atomic.ts";
import type { ProgressSink } from "./progress.ts";

export const LIVE_BEST = path.join("live", "best.png");

export type BestReporter = (stage: string, loss: number, image: string | null) => Promise<void>;

export function liveBestReporter(runDir: string, progress: ProgressSink, intervalMs = 1000): BestReporter {
  let last = Number.NEGATIVE_INFINITY;
  const out = path.join(runDir, LIVE_BEST);
  return async (stage, loss, image) => {
    const now = Date.now();
    if (!image || now - last < intervalMs) return;
    last = now;
    // The search's render files are reused; a copy that fails to read is skipped, not fatal.
    const png = await readFile(image)
      .then((bytes) => renderPng(bytes, image))
      .catch(() => null);
    if (!png) return;
    await mkdir(path.dirname(out), { recursive: true });
    await writeFileAtomic(out, png);
    progress({ type: "best", stage, loss, image: out });
  };
}
