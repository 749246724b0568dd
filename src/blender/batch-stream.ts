/**
 * A batch's candidates as the worker forwards them (python/worker.py Stream), so the caller
 * can score candidate k while the child renders k + 1: on 2 cores that overlap is most of
 * what keeps both workers rendering. Partials are checked one after another, in order, as
 * strictly as the envelope (acceptPartial); the first bad one ends the stream and the pool
 * treats the whole job as a protocol violation. What runBatch returns is authoritative: a
 * result handed out early is returned as the same object unless the job failed as a whole.
 */
import { acceptPartial } from "./batch-reply.ts";
import type { JobReply, JobRequest, PartialEnvelope } from "./protocol.ts";
import { ProtocolViolation } from "./reply.ts";

/** Told about each candidate of a batch as soon as it is accepted (index into its PARAMS sets). */
export type OnBatchResult = (index: number, reply: JobReply) => void;

export class BatchStream {
  /** Accepted candidates in order, with the line the envelope must repeat. */
  readonly early: { text: string; reply: JobReply }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private violation: string | null = null;

  constructor(
    private readonly request: JobRequest,
    private readonly outDirs: readonly string[],
    private readonly onResult?: OnBatchResult,
  ) {}

  accept(partial: PartialEnvelope): void {
    this.chain = this.chain.then(async () => {
      if (this.violation !== null) return;
      try {
        const index = this.early.length;
        const reply = await acceptPartial(partial, this.request, this.outDirs, index);
        this.early.push({ text: partial.line, reply });
        this.onResult?.(index, reply);
      } catch (e) {
        if (!(e instanceof ProtocolViolation)) throw e;
        this.violation = e.message;
      }
    });
  }

  /** Waits for every forwarded candidate to be handled; the first violation, if any. */
  async settled(): Promise<string | null> {
    await this.chain;
    return this.violation;
  }
}
