/**
 * The handle of a running reconstruction (started or resumed): its typed progress events
 * (async-iterable, replayed from the start for every reader), a cancel through an AbortSignal,
 * and `.result`, the finished run read back from its folder.
 */
import { AgentInterrupted } from "../agent/run-agent.ts";
import { oneLine, RunInterrupted } from "../errors.ts";
import { EventLog, ReconstructEvent } from "./events.ts";
import { type OpenedRun, openRun } from "./open-run.ts";

export type HandleStatus = "running" | "done" | "interrupted" | "failed";

export interface ReconstructHandle extends AsyncIterable<ReconstructEvent> {
  readonly outDir: string;
  readonly signal: AbortSignal;
  readonly status: HandleStatus;
  /** Events so far. */
  readonly events: readonly ReconstructEvent[];
  /** Stops the run at its next render or step; `.result` then rejects with RunInterrupted. */
  abort(): void;
  /** The finished run; rejects with RunInterrupted when aborted, with the failure otherwise. */
  readonly result: Promise<OpenedRun>;
}

/** Runs `work` in the background and returns its handle at once. */
export function startHandle(
  outDir: string,
  external: AbortSignal | undefined,
  work: (signal: AbortSignal, progress: (event: ReconstructEvent) => void) => Promise<void>,
): ReconstructHandle {
  const controller = new AbortController();
  external?.addEventListener("abort", () => controller.abort(), { once: true });
  const log = new EventLog<ReconstructEvent>();
  let status: HandleStatus = "running";
  const end = (next: HandleStatus, event?: ReconstructEvent) => {
    status = next;
    if (event) log.push(event);
    log.close();
  };
  const result = (async () => {
    try {
      await work(controller.signal, (e) => log.push(ReconstructEvent.parse(e)));
    } catch (e) {
      const interrupted = e instanceof RunInterrupted || e instanceof AgentInterrupted;
      const message = oneLine(e);
      end(interrupted ? "interrupted" : "failed", {
        type: interrupted ? "run-interrupted" : "run-failed",
        outDir,
        message,
      });
      throw interrupted && !(e instanceof RunInterrupted) ? new RunInterrupted(message, 1, { cause: e }) : e;
    }
    const run = await openRun(outDir);
    end("done");
    return run;
  })();
  // A caller that only iterates events must not get an unhandled rejection.
  result.catch(() => {});
  return {
    outDir,
    signal: controller.signal,
    get status() {
      return status;
    },
    get events() {
      return log.all;
    },
    abort: () => controller.abort(),
    result,
    [Symbol.asyncIterator]: () => log.read(),
  };
}
