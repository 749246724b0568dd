/**
 * A reconstruction's progress as a zod-described event union: the events the offline method and
 * the agent already emit (src/run/progress.ts), plus how the run ended. The log keeps every
 * event, so each reader (an async iterator, `run_status` over MCP) sees the whole stream from
 * its start, however late it arrives.
 */
import { z } from "zod";
import { FlatComparison } from "../run/flat-baseline.ts";
import type { ProgressEvent } from "../run/progress.ts";

export const ReconstructEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run-start"),
    method: z.string(),
    image: z.string(),
    outDir: z.string(),
    stages: z.array(z.string()),
  }),
  z.object({ type: z.literal("stage-start"), stage: z.string(), index: z.number(), total: z.number() }),
  z.object({
    type: z.literal("iteration"),
    stage: z.string(),
    iteration: z.number(),
    bestLoss: z.number(),
    renders: z.number(),
    elapsedSeconds: z.number(),
    etaSeconds: z.number().nullable(),
    fraction: z.number(),
  }),
  z.object({
    type: z.literal("stage-end"),
    stage: z.string(),
    bestLoss: z.number(),
    renders: z.number(),
    seconds: z.number(),
  }),
  z.object({ type: z.literal("note"), text: z.string() }),
  z.object({
    type: z.literal("run-end"),
    outDir: z.string(),
    seconds: z.number(),
    renders: z.number(),
    psnr: z.number().nullable(),
    /** The result against the flat image of the target's mean colour, with a warning when it barely beats it. */
    flat: FlatComparison.optional(),
  }),
  /** The run stopped on its AbortSignal; its folder keeps what was done (no final.png). */
  z.object({ type: z.literal("run-interrupted"), outDir: z.string(), message: z.string() }),
  z.object({ type: z.literal("run-failed"), outDir: z.string(), message: z.string() }),
]);
export type ReconstructEvent = z.infer<typeof ReconstructEvent>;

// Compile-time proof that every event the methods emit is one the schema describes.
const _methodsEmitDescribedEvents = (e: ProgressEvent): ReconstructEvent => e;
void _methodsEmitDescribedEvents;

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
