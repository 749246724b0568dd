/**
 * A reconstruction's progress as a zod-described event union: the events the offline method and
 * the agent already emit (src/run/events.ts), plus how the run ended. The log keeps every
 * event, so each reader (an async iterator, `run_status` over MCP) sees the whole stream from
 * its start, however late it arrives.
 */
import { z } from "zod";
import { PROGRESS_EVENTS } from "../run/events.ts";

export const ReconstructEvent = z.discriminatedUnion("type", [
  ...PROGRESS_EVENTS,
  /** The run stopped on its AbortSignal; its folder keeps what was done (no final.png). */
  z.object({ type: z.literal("run-interrupted"), outDir: z.string(), message: z.string() }),
  z.object({ type: z.literal("run-failed"), outDir: z.string(), message: z.string() }),
]);
export type ReconstructEvent = z.infer<typeof ReconstructEvent>;

/** An append-only event list that any number of async iterators read from the start. */
export class EventLog<T> {
  private readonly events: T[] = [];
  private closed = false;
  private wakers: (() => void)[] = [];

  push(event: T): void {
    if (this.closed) return;
    this.events.push(event);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  get all(): readonly T[] {
    return this.events;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async *read(from = 0): AsyncGenerator<T> {
    let next = from;
    for (;;) {
      while (next < this.events.length) yield this.events[next++]!;
      if (this.closed) return;
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}
