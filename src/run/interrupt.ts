/**
 * Stopping a run on purpose. Ctrl-C or SIGTERM aborts the run's signal; the run stops at its
 * next batch of renders, keeps what its last checkpoint holds, and marks run.json
 * `interrupted` with the command that resumes it. A second signal stops at once (run.json
 * then still says `running`, which a reader recognises as dead by its process and heartbeat).
 */
import { RunInterrupted } from "../errors.ts";

/** The command that continues an interrupted run in `dir`, either method. */
export function resumeCommand(dir: string): string {
  return `seig reconstruct --resume ${dir}`;
}

/** Throws RunInterrupted when `signal` has fired. */
export function throwIfInterrupted(signal: AbortSignal | undefined, resume: string): void {
  // Exit code 130, as for a process stopped by Ctrl-C.
  if (signal?.aborted) throw new RunInterrupted(`run interrupted; continue it with: ${resume}`, 130);
}

/** An AbortSignal fired by the first SIGINT or SIGTERM; the second one exits at once. */
export function interruptOnSignals(notify: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(name === "SIGINT" ? 130 : 143);
    notify(`seig: ${name}: stopping after the renders under way (again to stop at once)`);
    controller.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
