/**
 * What an earlier attempt of the same job left in its run folder (its worker killed with kill -9,
 * its machine lost, or its lock lost on an overloaded machine): a finished run is handed back as
 * it is, an interrupted one with a readable checkpoint (offline checkpoint.json, agent state.json)
 * is continued with the library's `resume()`, anything else is started again. The folder is only
 * found when the retry runs where the earlier attempt wrote it: the same --work-dir (one machine,
 * or a folder every worker mounts); elsewhere the job starts fresh.
 */
import path from "node:path";
import { loadState, STATE_FILE } from "../agent/state.ts";
import { CHECKPOINT_FILE, loadCheckpoint } from "../offline/checkpoint.ts";
import { pathExists } from "../path-exists.ts";
import { HEARTBEAT_MS, type RunStatusReading, readRunStatus, STALE_MS } from "../run/status.ts";

export type Leftover = "none" | "done" | "resumable" | "unusable";

/** Long enough for a live run's heartbeat (refreshed every 5 s) to go stale if its process is gone. */
export const LIVE_WAIT_MS = STALE_MS + 2 * HEARTBEAT_MS;

/**
 * Waits while run.json says a live process still writes the folder — an earlier attempt whose
 * worker lost the job's lock but runs on (another host's worker is only known dead by its stale
 * heartbeat). Throws after `waitMs`: two runs must never write one folder.
 */
export async function waitWhileLive(dir: string, waitMs: number): Promise<RunStatusReading> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const reading = await readRunStatus(dir);
    if (reading.kind !== "run" || reading.status !== "running") return reading;
    if (Date.now() > deadline) {
      throw new Error(
        `${dir} is still being written by pid ${reading.json.pid} on ${reading.json.host ?? "another host"}; retry the job once that run has ended`,
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(HEARTBEAT_MS, waitMs)));
  }
}

/** Whether the folder holds a checkpoint `resume()` can read (a damaged one is started again). */
async function hasCheckpoint(dir: string): Promise<boolean> {
  if (await pathExists(path.join(dir, STATE_FILE)))
    return loadState(dir).then(
      () => true,
      () => false,
    );
  if (await pathExists(path.join(dir, CHECKPOINT_FILE)))
    return loadCheckpoint(dir).then(
      () => true,
      () => false,
    );
  return false;
}

export async function leftoverRun(dir: string, waitMs = LIVE_WAIT_MS): Promise<Leftover> {
  const reading = await waitWhileLive(dir, waitMs);
  if (reading.kind === "none") return (await pathExists(dir)) ? "unusable" : "none";
  if (reading.kind === "unreadable") return "unusable";
  if (reading.status === "done") return "done";
  return (await hasCheckpoint(dir)) ? "resumable" : "unusable";
}
