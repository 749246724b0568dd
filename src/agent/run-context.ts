import path from "node:path";
import { BlenderPool, DEFAULT_METHOD_WORKERS } from "../blender/pool.ts";
import type { SandboxMode } from "../blender/sandbox.ts";
import { loadImage } from "../image/load.ts";
import { resizeTo } from "../image/resize.ts";
import type { RgbImage } from "../image/types.ts";
import type { RunFolder } from "../run/folder.ts";
import type { ProgressSink } from "../run/progress.ts";
import type { VlmClient, VlmClientOptions } from "../vlm/client.ts";
import type { Env } from "../vlm/providers.ts";
import { createModelSession } from "../vlm/session.ts";
import type { TraceRecorder } from "../vlm/trace.ts";
import { callNotes } from "./call-notes.ts";
import type { AgentContext } from "./context.ts";
import { withCostBudget } from "./cost-budget.ts";
import type { AgentState } from "./state.ts";
import { addResponse, type UsageTotals } from "./usage.ts";

export interface AgentRuntime {
  /** A pool to use instead of starting one (its writable folders must include the run folder). */
  pool?: BlenderPool;
  concurrency?: number;
  sandbox?: SandboxMode;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Env;
  /** Retry, timeout and heartbeat settings of the model clients. */
  client?: Pick<VlmClientOptions, "maxRetries" | "backoff" | "timeoutMs" | "heartbeatMs">;
  progress?: ProgressSink;
  /** Stops the run after the step under way has been saved (throws AgentInterrupted). */
  signal?: AbortSignal;
  /** Replace a previous run in the output folder (without it such a folder is refused). */
  force?: boolean;
}

export function workingSize(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(8, Math.round(img.width * scale)),
    height: Math.max(8, Math.round(img.height * scale)),
  };
}

async function modelClients(
  state: () => AgentState,
  trace: TraceRecorder,
  runtime: AgentRuntime,
  progress: ProgressSink,
  onUsage: (u: Parameters<typeof addResponse>[1]) => void,
): Promise<{ generator: VlmClient; verifier: VlmClient }> {
  const settings = state().settings;
  const onEvent = callNotes(progress, onUsage, () => state().usage.total);
  const session = await createModelSession(
    { model: settings.model, verifierModel: settings.verifierModel, prices: settings.prices },
    { trace, env: runtime.env, onEvent, client: runtime.client },
  );
  const budget = (c: VlmClient) =>
    settings.maxCost === null
      ? c
      : withCostBudget(c, settings.maxCost, session.prices, () => state().usage.total);
  return { generator: budget(session.generator), verifier: budget(session.verifier) };
}

/**
 * Iteration events carry the model use so far, so a page can show tokens and cost as they grow,
 * and the time since this session opened (the stage loop itself does not keep a clock).
 */
function withUsage(progress: ProgressSink, total: () => UsageTotals["total"]): ProgressSink {
  const opened = Date.now();
  return (event) => {
    if (event.type !== "iteration") return progress(event);
    const t = total();
    progress({
      ...event,
      elapsedSeconds: event.elapsedSeconds || (Date.now() - opened) / 1000,
      tokens: t.inputTokens + t.outputTokens,
      costUsd: t.costUsd,
    });
  };
}

/** The run's state, replaced whole at every saved step; the closures below read it from here. */
export interface StateBox {
  state: AgentState;
}

export async function openContext(
  folder: RunFolder,
  box: StateBox,
  trace: TraceRecorder,
  runtime: AgentRuntime,
  progress: ProgressSink,
) {
  const settings = box.state.settings;
  const targetPng = path.join(folder.dir, "target.png");
  const target = await loadImage(targetPng, { maxSide: 0 });
  const size = workingSize(target, settings.workingSide);
  const working = await resizeTo(target, size.width, size.height);
  const addUsage = (u: Parameters<typeof addResponse>[1]) => {
    box.state = { ...box.state, usage: addResponse(box.state.usage, u) };
  };
  const models = await modelClients(() => box.state, trace, runtime, progress, addUsage);
  const pool =
    runtime.pool ??
    (await BlenderPool.start({
      size: runtime.concurrency ?? DEFAULT_METHOD_WORKERS,
      sandbox: runtime.sandbox,
      writableDirs: [folder.dir],
    }));
  const ctx: AgentContext = {
    ...models,
    pool,
    targetPng,
    working,
    render: { ...size, samples: settings.samples, seed: settings.seed },
    blenderVersion: pool.blenderVersion,
    repairLimit: settings.repairLimit,
    reaskLimit: settings.reaskLimit,
    maxTokens: settings.maxTokens,
    runDir: folder.dir,
    progress: withUsage(progress, () => box.state.usage.total),
    renders: { count: box.state.renders },
  };
  return { ctx, target, pool };
}
