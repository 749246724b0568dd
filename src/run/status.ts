/**
 * A run folder's status, as run.json records it and as a reader should believe it.
 *
 * run.json is written when a run starts (`running`, with the process id and a heartbeat
 * refreshed every few seconds) and rewritten when it ends: `done`, `failed` (with the
 * error) or `interrupted` (Ctrl-C, SIGTERM; with the command that resumes it). A run killed
 * outright (kill -9, power loss) cannot say so: it stays `running`, but its process is gone
 * and its heartbeat stops, and readRunStatus reports it as interrupted.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

export const RUN_FILE = "run.json";

export const RunState = z.enum(["running", "interrupted", "failed", "done"]);
export type RunState = z.infer<typeof RunState>;

/** How often a running run refreshes its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A `running` run whose heartbeat is older than this is taken for dead (a busy machine can delay a beat). */
export const STALE_MS = 60_000;

/**
 * The status part of run.json, whatever the method adds beside it. The process fields are
 * there while a run lives (a finished agent run's record drops them); a run.json without a
 * status is from a version that wrote it only when a run was done.
 */
export const RunStatusFields = z.object({
  status: RunState.default("done"),
  method: z.string(),
  pid: z.number().int().optional(),
  host: z.string().optional(),
  startedAt: z.string().optional(),
  heartbeatAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** With `failed`: the error, one line. */
  error: z.string().optional(),
  /** Until `done`: the command that continues the run (after an interruption, a failure, or a kill). */
  resume: z.string().optional(),
  /** The run ended early but gracefully, with its best program so far (e.g. --time-limit). */
  cut: z.object({ reason: z.string(), stage: z.string(), seconds: z.number() }).optional(),
});
export type RunStatusFields = z.infer<typeof RunStatusFields>;

export const RunJson = RunStatusFields.loose();
export type RunJson = z.infer<typeof RunJson>;

export type RunStatusReading =
  | { kind: "none" }
  | { kind: "unreadable"; reason: string }
  | { kind: "run"; status: RunState; stale: boolean; json: RunJson };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a `running` record is still backed by a live process with a recent heartbeat. */
export function isLive(
  json: Omit<RunStatusFields, "status"> & { status?: RunState },
  now = Date.now(),
): boolean {
  if (json.status !== "running" || json.pid === undefined || json.heartbeatAt === undefined) return false;
  if (json.host === os.hostname() && !processAlive(json.pid)) return false;
  return now - Date.parse(json.heartbeatAt) <= STALE_MS;
}

/** The run.json of `dir` as a reader should take it: a dead `running` run reads as `interrupted`. */
export async function readRunStatus(dir: string, now = Date.now()): Promise<RunStatusReading> {
  let text: string;
  try {
    text = await readFile(path.join(dir, RUN_FILE), "utf8");
  } catch {
    return { kind: "none" };
  }
  let parsed: ReturnType<typeof RunJson.safeParse>;
  try {
    parsed = RunJson.safeParse(JSON.parse(text));
  } catch {
    return { kind: "unreadable", reason: `${RUN_FILE} is not valid JSON` };
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      kind: "unreadable",
      reason: `${RUN_FILE}: ${issue.path.join(".") || "top level"}: ${issue.message}`,
    };
  }
  const json = parsed.data;
  if (json.status === "running" && !isLive(json, now)) {
    return { kind: "run", status: "interrupted", stale: true, json };
  }
  return { kind: "run", status: json.status, stale: false, json };
}
