/**
 * Turning a batch job's envelope into one result per PARAMS set. The reply text is lines:
 * one per finished candidate (python/batch.py), then the job's own reply — which is
 * missing when the child crashed or timed out mid-batch. Everything in it is untrusted and
 * checked as for single jobs (reply.ts); a candidate that the child did not run, or ran
 * into trouble the full path would not have had, comes back as "fallback" so the pool
 * renders it in a fresh child and the batch never changes a result.
 */
import path from "node:path";
import { cleanLine, scrubJson } from "../clean-text.ts";
import {
  CandidateLine,
  type JobReply,
  type JobRequest,
  type PartialEnvelope,
  type WorkerEnvelope,
} from "./protocol.ts";
import { failedReply, insideFolder, ProtocolViolation, parseChildReply, writeOutput } from "./reply.ts";

/** A PARAMS set the batch did not render as the full path would: the pool renders it alone. */
export interface Fallback {
  fallback: string;
}
export type BatchResult = JobReply | Fallback;

/** Program-level failures that a fresh child would hit for every PARAMS set alike. */
const WHOLE_PROGRAM = new Set(["screen", "syntax", "runtime"]);

export function batchImageName(request: JobRequest, index: number): string {
  return `c${index}.${request.imageFormat === "BMP" ? "bmp" : "png"}`;
}

function candidateLine(text: string, index: number): CandidateLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProtocolViolation("a batch line is not JSON");
  }
  const parsed = CandidateLine.safeParse(scrubJson(json));
  if (!parsed.success || parsed.data.candidate !== index)
    throw new ProtocolViolation("a batch line does not match the protocol");
  return parsed.data;
}

function splitLines(text: string): { texts: string[]; lines: CandidateLine[]; last: string | null } {
  const texts = text.split("\n");
  // Text after the last newline is the job's reply (or a line cut short by a crash).
  const last = texts.pop() || null;
  return { texts, lines: texts.map(candidateLine), last };
}

/**
 * A candidate forwarded while the batch still runs: it must be the next one, carry only its
 * own image, and is accepted exactly as the same line in the envelope would be.
 */
export async function acceptPartial(
  partial: PartialEnvelope,
  request: JobRequest,
  outDirs: readonly string[],
  expected: number,
): Promise<JobReply> {
  if (partial.partial !== expected || expected >= outDirs.length)
    throw new ProtocolViolation("a batch candidate arrived out of order");
  for (const name of Object.keys(partial.files))
    if (name !== batchImageName(request, expected))
      throw new ProtocolViolation("the worker sent a file nobody asked for");
  const line = candidateLine(partial.line, expected);
  return candidateReply(partial, request, line, outDirs[expected]!);
}

async function candidateReply(
  envelope: Pick<WorkerEnvelope, "files">,
  request: JobRequest,
  line: CandidateLine,
  outDir: string,
): Promise<JobReply> {
  const id = `${request.id}#${line.candidate}`;
  const data = envelope.files[batchImageName(request, line.candidate)];
  if (line.ok && (!line.image || data === undefined))
    return failedReply(id, "render", "the job produced no image (over the size cap or never written)");
  const reply = failedReply(id, "render", "");
  const images: JobReply["images"] = [];
  if (line.ok && data !== undefined) {
    const target = insideFolder(outDir, `render${path.extname(batchImageName(request, line.candidate))}`);
    await writeOutput(target, data);
    images.push({ name: "render", path: target });
  }
  const { buildSeconds, renderSeconds, resetSeconds } = line;
  const error = line.error ? { ...line.error, message: cleanLine(line.error.message) } : reply.error;
  return {
    ...reply,
    ok: line.ok,
    error: line.ok ? null : error,
    images,
    buildSeconds,
    renderSeconds,
    resetSeconds,
  };
}

function endedEarly(envelope: WorkerEnvelope, request: JobRequest, index: number): JobReply {
  const id = `${request.id}#${index}`;
  if (envelope.exit.timedOut) return failedReply(id, "timeout", "");
  const { code, signal } = envelope.exit;
  const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
  return failedReply(id, "crash", `Blender crashed while running the program (${how})`);
}

/**
 * Validates a batch envelope, writes its images into `outDirs` (one per set) and returns a
 * result per set. `early` are the results of the candidates already forwarded
 * (acceptPartial), whose lines the envelope must repeat and whose images it no longer carries.
 */
export async function acceptBatchEnvelope(
  envelope: WorkerEnvelope,
  request: JobRequest,
  outDirs: readonly string[],
  early: readonly { text: string; reply: JobReply }[] = [],
): Promise<BatchResult[]> {
  const count = request.paramSets?.length ?? 0;
  const expected = new Set(Array.from({ length: count }, (_, i) => batchImageName(request, i)));
  for (const name of Object.keys(envelope.files))
    if (!expected.has(name) || Number(/\d+/.exec(name)?.[0]) < early.length)
      throw new ProtocolViolation("the worker sent a file nobody asked for");
  if (envelope.replyOverflow) throw new ProtocolViolation("the job's reply exceeded the size cap");
  const { texts, lines, last } = splitLines(envelope.reply ?? "");
  if (lines.length > count) throw new ProtocolViolation("the batch sent more lines than PARAMS sets");
  if (early.some((e, i) => texts[i] !== e.text))
    throw new ProtocolViolation("the envelope does not repeat the candidates sent before");
  const results: BatchResult[] = early.map((e) => e.reply);
  for (const line of lines.slice(early.length))
    results.push(await candidateReply(envelope, request, line, outDirs[line.candidate]!));
  const final = envelopeFinished(envelope) && last !== null ? parseChildReply(last, request.id) : null;
  for (let i = lines.length; i < count; i++) {
    if (final === null) {
      // The child died during candidate i: it gets the crash; later ones get a fresh child.
      results.push(
        i === lines.length ? endedEarly(envelope, request, i) : { fallback: "an earlier set crashed" },
      );
    } else if (lines.length === 0 && final.error && WHOLE_PROGRAM.has(final.error.kind)) {
      results.push({ ...final, id: `${request.id}#${i}`, images: [], mask: null });
    } else {
      const why = final.fallbackReason ? `the state changed (${final.fallbackReason})` : final.error?.message;
      results.push({ fallback: why ?? "the batch stopped early" });
    }
  }
  return results;
}

/** The job's reply is believed only from a child that exited by itself. */
function envelopeFinished(envelope: WorkerEnvelope): boolean {
  return !envelope.exit.timedOut && envelope.exit.signal === null;
}
