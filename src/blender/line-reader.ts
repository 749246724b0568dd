/**
 * Lines from an untrusted stream with a cap on their length: a worker that writes an
 * endless line is a protocol violation, not a way to exhaust Node's memory.
 */
import type { Readable } from "node:stream";

export type LineResult =
  | { kind: "line"; text: string }
  | { kind: "closed" }
  | { kind: "timeout" }
  | { kind: "overflow" };

export class LineReader {
  private readonly lines: string[] = [];
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private closed = false;
  private overflowed = false;
  private wake: (() => void) | null = null;

  constructor(
    input: Readable,
    private readonly maxBytes: number,
  ) {
    input.on("data", (chunk: Buffer) => this.push(chunk));
    input.on("end", () => this.finish());
    input.on("close", () => this.finish());
    input.on("error", () => this.finish());
  }

  private push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.append(chunk.subarray(start, nl));
      if (!this.overflowed) this.lines.push(Buffer.concat(this.partial).toString("utf8"));
      this.partial = [];
      this.partialBytes = 0;
      start = nl + 1;
    }
    this.append(chunk.subarray(start));
    this.notify();
  }

  private append(piece: Buffer): void {
    if (this.overflowed) return;
    this.partialBytes += piece.length;
    if (this.partialBytes > this.maxBytes) {
      this.overflowed = true;
      this.partial = [];
    } else if (piece.length) this.partial.push(Buffer.from(piece));
  }

  private finish(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next line; an overflow is sticky (the stream can no longer be trusted). */
  async next(timeoutMs: number): Promise<LineResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.overflowed) return { kind: "overflow" };
      const text = this.lines.shift();
      if (text !== undefined) return { kind: "line", text };
      if (this.closed) return { kind: "closed" };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
