import path from "node:path";
import { resumeAgent } from "../agent/run-agent.ts";
import { STATE_FILE } from "../agent/state.ts";
import { BlenderPool, DEFAULT_METHOD_WORKERS } from "../blender/pool.ts";
import { InputError } from "../errors.ts";
import { CHECKPOINT_FILE } from "../offline/checkpoint.ts";
import { resumeOffline } from "../offline/reconstruct.ts";
import { pathExists } from "../path-exists.ts";
import { type ReconstructHandle, startHandle } from "./handle.ts";
import { type PoolSource, SharedPool } from "./pool-source.ts";

export interface ResumeOptions {
  /** A pool to share (offline runs only, as for reconstruct). */
  pool?: PoolSource;
  concurrency?: number;
  sandbox?: "auto" | "bwrap" | "none";
  /** Cancels the run too, besides handle.abort(). */
  signal?: AbortSignal;
}

/** Which method wrote the run: the agent keeps state.json, the offline method checkpoint.json. */
async function methodOf(dir: string): Promise<"agent" | "offline"> {
  if (await pathExists(path.join(dir, STATE_FILE))) return "agent";
  if (await pathExists(path.join(dir, CHECKPOINT_FILE))) return "offline";
  throw new InputError(`resume ${dir}: no interrupted run there (no ${CHECKPOINT_FILE} or ${STATE_FILE})`);
}

export async function resume(runDir: string, options: ResumeOptions = {}): Promise<ReconstructHandle> {
  const dir = path.resolve(runDir);
  const method = await methodOf(dir);
  const { concurrency, sandbox = "auto" } = options;
  return startHandle(dir, options.signal, async (signal, progress) => {
    if (method === "agent") {
      const pool = options.pool instanceof BlenderPool ? options.pool : undefined;
      await resumeAgent(dir, { progress, signal, concurrency, sandbox, pool });
      return;
    }
    const pool = options.pool instanceof SharedPool ? await options.pool.get() : options.pool;
    const runtime = { concurrency: concurrency ?? DEFAULT_METHOD_WORKERS, sandbox, progress, signal };
    await resumeOffline(dir, pool ? { ...runtime, pool } : runtime);
  });
}
