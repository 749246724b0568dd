/**
 * The runs this server started and that may still be going: their handles, so progress can be
 * streamed and a run cancelled. Finished runs are read back from their folders instead.
 */
import type { ReconstructHandle } from "../api/reconstruct.ts";

export class LiveRuns {
  private readonly handles = new Map<string, ReconstructHandle>();

  add(id: string, handle: ReconstructHandle): void {
    this.handles.set(id, handle);
  }

  get(id: string): ReconstructHandle | undefined {
    return this.handles.get(id);
  }

  /** Aborts every run still going (server shutdown); their folders keep what was done. */
  async abortAll(): Promise<void> {
    const running = [...this.handles.values()].filter((h) => h.status === "running");
    for (const h of running) h.abort();
    await Promise.allSettled(running.map((h) => h.result));
  }
}
