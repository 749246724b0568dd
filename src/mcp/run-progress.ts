/** A run's status as a tool reports it, and following its events as MCP progress notifications. */
import type { ReconstructEvent } from "../api/events.ts";
import type { ReconstructHandle } from "../api/reconstruct.ts";
import type { ServerContext } from "./context.ts";
import type { Progress } from "./tool-kit.ts";

export function statusOf(ctx: ServerContext, runId: string, handle: ReconstructHandle) {
  const events = handle.events;
  const end = [...events].reverse().find((e) => e.type === "run-end");
  return {
    run_id: runId,
    status: handle.status,
    out_dir: ctx.workspace.show(handle.outDir),
    events: events.length,
    last_event: (events.at(-1) as Record<string, unknown> | undefined) ?? null,
    psnr: end?.type === "run-end" ? end.psnr : null,
  };
}

/** One line for a person watching. */
export function describeEvent(e: ReconstructEvent): string {
  switch (e.type) {
    case "run-start":
      return `started (${e.method}), stages ${e.stages.join(", ")}`;
    case "stage-start":
      return `stage ${e.index + 1}/${e.total}: ${e.stage}`;
    case "iteration":
      return `${e.stage}: iteration ${e.iteration}, best loss ${e.bestLoss.toFixed(5)}, ${e.renders} renders`;
    case "stage-end":
      return `${e.stage} done: best loss ${e.bestLoss.toFixed(5)} after ${e.renders} renders`;
    case "note":
      return e.text;
    case "best":
      return `${e.stage}: better program, loss ${e.loss.toFixed(5)}`;
    case "run-end":
      return `done in ${Math.round(e.seconds)} s, PSNR ${e.psnr?.toFixed(2) ?? "n/a"} dB`;
    default:
      return `${e.type}: ${e.message}`;
  }
}

/**
 * Sends one progress notification per event (the event count is the progress, so it only grows)
 * until the run ends, `seconds` pass, or the request is cancelled.
 */
export async function followRun(
  handle: ReconstructHandle,
  seconds: number,
  progress: Progress,
  signal: AbortSignal,
): Promise<void> {
  if (seconds <= 0) return;
  const deadline = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
    handle.result.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
  });
  let stopped = false;
  const follow = (async () => {
    let count = 0;
    for await (const event of handle) {
      count++;
      if (stopped) return;
      await progress(count, undefined, describeEvent(event));
    }
  })();
  await Promise.race([follow, deadline]);
  stopped = true;
}
