/**
 * The record of every model call in a run: `<run>/trace.jsonl`, one JSON line per call, with the
 * images sent stored once under `<run>/trace-images/<sha256>.png` and referenced by name. It is what
 * the report shows and what `replay:` plays back.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { LoadedPart } from "./message.ts";

export const TRACE_FILE = "trace.jsonl";
export const TRACE_IMAGES_DIR = "trace-images";

const tracePartSchema = z.union([
  z.object({ text: z.string() }),
  z.object({ label: z.string(), image: z.string().regex(/^[0-9a-f]{64}\.png$/) }),
]);

export const traceEntrySchema = z.object({
  seq: z.number().int().positive(),
  purpose: z.string(),
  model: z.string(),
  request: z.object({
    system: z.string(),
    parts: z.array(tracePartSchema),
    /** requestTextHash of the request: lets a replay notice that the asking program changed. */
    textSha256: z.string(),
  }),
  response: z.object({
    text: z.string(),
    usage: z.object({ inputTokens: z.number().nullable(), outputTokens: z.number().nullable() }),
    finishReason: z.string(),
  }),
  costUsd: z.number().nullable(),
  ms: z.number(),
});
export type TraceEntry = z.infer<typeof traceEntrySchema>;

export type TraceCall = Omit<TraceEntry, "request"> & {
  request: { system: string; parts: readonly LoadedPart[]; textSha256: string };
};

/**
 * A resumed run appends this line: the calls recorded after `afterSeq` belong to a step that never
 * finished (the run failed or was killed in it) and that the resumed run makes again. They were
 * paid for, so usage counts them; a replay skips them, since an uninterrupted run never made them.
 */
const resumeMarkSchema = z.object({ resumedAfter: z.number().int().nonnegative() });

export interface TraceFile {
  /** Every recorded call, in file order. */
  all: TraceEntry[];
  /** The calls of the run as an uninterrupted run makes them: abandoned steps left out, by seq. */
  kept: TraceEntry[];
}

/** Reads and validates a trace; a bad line is named by its line number. */
export async function readTrace(path: string): Promise<TraceEntry[]> {
  return (await readTraceFile(path)).all;
}

export async function readTraceFile(path: string): Promise<TraceFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InputError(
      `cannot read trace ${path} (${(e as NodeJS.ErrnoException).code ?? "error"}): check the path`,
    );
  }
  const all: TraceEntry[] = [];
  let kept: TraceEntry[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InputError(
        `trace ${path} line ${i + 1} is not JSON: the file is damaged; record the run again`,
      );
    }
    const mark = resumeMarkSchema.safeParse(json);
    if (mark.success) {
      kept = kept.filter((e) => e.seq <= mark.data.resumedAfter);
      continue;
    }
    const entry = traceEntrySchema.safeParse(json);
    if (!entry.success) {
      throw new InputError(
        `trace ${path} line ${i + 1} is not a trace entry: the file is damaged or from another tool`,
      );
    }
    all.push(entry.data);
    kept.push(entry.data);
  }
  return { all, kept: kept.sort((a, b) => a.seq - b.seq) };
}

export class TraceRecorder {
  readonly path: string;
  private readonly imagesDir: string;
  private seq: number;
  /** Appends are chained so concurrent calls never interleave their lines. */
  private writes: Promise<void> = Promise.resolve();

  private constructor(runDir: string, lastSeq: number) {
    this.path = join(runDir, TRACE_FILE);
    this.imagesDir = join(runDir, TRACE_IMAGES_DIR);
    this.seq = lastSeq;
  }

  /** Opens (or continues, for a resumed run) the trace of a run folder; `existing` is what it holds. */
  static async open(runDir: string): Promise<TraceRecorder> {
    return (await TraceRecorder.openWith(runDir)).recorder;
  }

  static async openWith(runDir: string): Promise<{ recorder: TraceRecorder; existing: TraceEntry[] }> {
    await mkdir(join(runDir, TRACE_IMAGES_DIR), { recursive: true });
    const existing = await readTrace(join(runDir, TRACE_FILE)).catch((e: unknown) => {
      if (e instanceof InputError && e.message.startsWith("cannot read trace")) return [];
      throw e;
    });
    return {
      recorder: new TraceRecorder(runDir, Math.max(0, ...existing.map((entry) => entry.seq))),
      existing,
    };
  }

  /** The last sequence number given out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Marks the calls after `afterSeq` as an abandoned step (see resumeMarkSchema). */
  async markResume(afterSeq: number): Promise<void> {
    await this.append(`${JSON.stringify({ resumedAfter: afterSeq })}\n`);
  }

  /**
   * The sequence number of a call, taken when the call STARTS: calls run concurrently and finish in
   * any order, but they start in the order the agent issues them, which is what a replay repeats.
   */
  reserveSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  async record(call: TraceCall): Promise<void> {
    const parts = await Promise.all(
      call.request.parts.map(async (part) => {
        if (part.type === "text") return { text: part.text };
        const name = `${part.sha256}.png`;
        await writeFile(join(this.imagesDir, name), part.png, { flag: "wx" }).catch(
          (e: NodeJS.ErrnoException) => {
            if (e.code !== "EEXIST") throw e;
          },
        );
        return { label: part.label, image: name };
      }),
    );
    const entry: TraceEntry = { ...call, request: { ...call.request, parts } };
    await this.append(`${JSON.stringify(entry)}\n`);
  }

  private async append(line: string): Promise<void> {
    const write = this.writes.then(() => appendFile(this.path, line));
    // A failed append is reported to its caller only; later appends still run.
    this.writes = write.catch(() => undefined);
    await write;
  }
}
