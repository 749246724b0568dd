/**
 * Plays a recorded trace back: call #n gets the answer recorded for call #n, after checking that the
 * run is still asking the same thing (same purpose, same request text). No network, no cost.
 * Replay is middleware around a model that refuses every call, so a replayed call runs the same
 * conversion path (generateText, the SDK's prompt conversion, the trace middleware) as a live one.
 */
import { type LanguageModelMiddleware, wrapLanguageModel } from "ai";
import { SeigError } from "../errors.ts";
import {
  callMetaOf,
  type SdkFinishReason,
  type SdkGenerateResult,
  type SdkModel,
  withAnswerMeta,
} from "./call-meta.ts";
import { promptRequest } from "./prompt-request.ts";
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

const FINISH_REASONS: readonly string[] = [
  "stop",
  "length",
  "content-filter",
  "tool-calls",
  "error",
  "other",
];

/** A recorded answer in the shape a provider returns it; replayed calls cost nothing. */
function recordedResult(entry: TraceEntry): SdkGenerateResult {
  const { text, usage, finishReason } = entry.response;
  const unified = (FINISH_REASONS.includes(finishReason) ? finishReason : "other") as SdkFinishReason;
  const result: SdkGenerateResult = {
    content: [{ type: "text", text }],
    finishReason: { unified, raw: finishReason },
    usage: {
      inputTokens: {
        total: usage.inputTokens ?? undefined,
        noCache: undefined,
        cacheRead: undefined,
        cacheWrite: undefined,
      },
      outputTokens: { total: usage.outputTokens ?? undefined, text: undefined, reasoning: undefined },
    },
    warnings: [],
  };
  return withAnswerMeta(result, { model: entry.model, costUsd: 0 });
}

/** Answers each call from the trace, in order; the wrapped model is never called. */
export function replayMiddleware(replay: ReplayModel): LanguageModelMiddleware {
  return {
    specificationVersion: "v3",
    async wrapGenerate({ params }) {
      const { seq, purpose } = callMetaOf(params);
      return recordedResult(replay.answer(seq, purpose, promptRequest(params.prompt).textSha256));
    },
  };
}

/** A model with no way out: replay must never reach the network, whatever the middleware does. */
function offlineModel(tracePath: string): SdkModel {
  const refuse = () => Promise.reject(new SeigError(`replay of ${tracePath} tried to call a real model`));
  return {
    specificationVersion: "v3",
    provider: "replay",
    modelId: tracePath,
    supportedUrls: {},
    doGenerate: refuse,
    doStream: refuse,
  };
}

export async function replayLanguageModel(tracePath: string): Promise<SdkModel> {
  const replay = await ReplayModel.load(tracePath);
  return wrapLanguageModel({ model: offlineModel(tracePath), middleware: replayMiddleware(replay) });
}
