/**
 * Plays a recorded trace back: call #n gets the answer recorded for call #n, after checking that the
 * run is still asking the same thing (same purpose, same request text). No network, no cost.
 */
import { SeigError } from "../errors.ts";
import { readTraceFile, type TraceEntry } from "./trace.ts";

/** The run being replayed no longer makes the calls the trace recorded. */
export class ReplayDivergenceError extends SeigError {}

export class ReplayModel {
  readonly tracePath: string;
  /** The calls in the order an uninterrupted run makes them (a resumed run's abandoned step left out). */
  private readonly calls: readonly TraceEntry[];

  private constructor(tracePath: string, entries: readonly TraceEntry[]) {
    this.tracePath = tracePath;
    this.calls = entries;
  }

  static async load(tracePath: string): Promise<ReplayModel> {
    return new ReplayModel(tracePath, (await readTraceFile(tracePath)).kept);
  }

  get size(): number {
    return this.calls.length;
  }

  /** Call #seq of the replaying run gets the seq-th recorded call (by position, not recorded number). */
  answer(seq: number, purpose: string, textSha256: string): TraceEntry {
    const entry = this.calls[seq - 1];
    if (!entry) {
      throw new ReplayDivergenceError(
        `replay diverged at call #${seq} (${purpose}): ${this.tracePath} has no such call; the run makes more calls than were recorded`,
      );
    }
    if (entry.purpose !== purpose) {
      throw new ReplayDivergenceError(
        `replay diverged at call #${seq}: the trace recorded "${entry.purpose}" but the run asks for "${purpose}"; the code or options changed since recording`,
      );
    }
    if (entry.request.textSha256 !== textSha256) {
      throw new ReplayDivergenceError(
        `replay diverged at call #${seq} (${purpose}): the prompt differs from the recorded one; the code, inputs or options changed since recording`,
      );
    }
    return entry;
  }
}
