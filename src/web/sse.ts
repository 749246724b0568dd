/**
 * A run's progress as Server-Sent Events: every library event from the start (the handle's log
 * replays, so a late page misses nothing), plus the current best render: whenever the search
 * reports a better one (a throttled `best` event) and whenever a stage ends.
 */
import path from "node:path";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { ReconstructHandle } from "../api/reconstruct.ts";
import { fileUrl } from "./run-files.ts";
import { bestImage } from "./run-views.ts";
import type { StreamMessage } from "./wire.ts";

const BEST_AFTER = new Set(["run-start", "stage-start", "stage-end", "run-end", "run-interrupted"]);

export function streamRun(c: Context, id: string, handle: ReconstructHandle): Response {
  return streamSSE(c, async (stream) => {
    let n = 0;
    const send = (message: StreamMessage) =>
      stream.writeSSE({ id: String(n++), data: JSON.stringify(message) });
    const stages: string[] = ["scaffold"];
    for await (const event of handle) {
      if (stream.aborted) return;
      await send({ kind: "event", event });
      if (event.type === "stage-end") stages.push(event.stage);
      // The search's improving render (a file inside the run folder), between stage ends.
      if (event.type === "best") {
        const rel = path.relative(handle.outDir, event.image);
        if (!rel.startsWith("..") && !path.isAbsolute(rel))
          await send({
            kind: "best",
            image: fileUrl(id, rel, Date.now()),
            loss: event.loss,
            stage: event.stage,
          });
        continue;
      }
      if (BEST_AFTER.has(event.type)) {
        const image = await bestImage(id, handle.outDir, stages);
        if (image) await send({ kind: "best", image });
      }
    }
    await handle.result.catch(() => {});
    await send({ kind: "end", status: handle.status });
  });
}

/** A finished run (not started by this server) streams just its end. */
export function streamFinished(c: Context, status: string): Response {
  return streamSSE(c, async (stream) => {
    await stream.writeSSE({ id: "0", data: JSON.stringify({ kind: "end", status } satisfies StreamMessage) });
  });
}
