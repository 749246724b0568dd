/**
 * The writer of run.json: `running` from the first moment of a run (so a folder is never an
 * unlabelled half-run), a heartbeat while it lives, and its end (`done`, `failed` with the
 * error, `interrupted` with the resume command). Every write is atomic and writes are
 * serialised, so the file on disk is always one whole version.
 */
import os from "node:os";
import path from "node:path";
import { oneLine, RunInterrupted } from "../errors.ts";
import { writeJsonAtomic } from "./atomic.ts";
import { HEARTBEAT_MS, RUN_FILE, type RunState, type RunStatusFields } from "./status.ts";

type Extra = Record<string, unknown>;

export class RunTracker {
  private fields: Extra;
  private writes: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly file: string,
    base: Extra,
  ) {
    this.fields = base;
  }

  /** Marks `dir` as a running run of `method`; `resume` is the command that continues it if it stops. */
  static async begin(dir: string, method: string, resume: string, extra: Extra = {}): Promise<RunTracker> {
    const now = new Date().toISOString();
    const status: RunStatusFields = {
      status: "running",
      method,
      pid: process.pid,
      host: os.hostname(),
      startedAt: now,
      heartbeatAt: now,
      resume,
    };
    // Status first: it is what a person opening run.json looks for.
    const record = new RunTracker(path.join(dir, RUN_FILE), { ...status, ...extra });
    await record.write();
    record.timer = setInterval(() => void record.write().catch(() => {}), HEARTBEAT_MS);
    // The heartbeat must never keep a finished process alive.
    record.timer.unref();
    return record;
  }

  /** Merges fields into run.json (the method's settings, spend, results). */
  update(extra: Extra): Promise<void> {
    this.fields = { ...this.fields, ...extra };
    return this.write();
  }

  /** The run's end, by what ended it. Only a finished run drops `resume`. */
  async end(
    outcome: { status: Exclude<RunState, "running">; error?: unknown },
    extra: Extra = {},
  ): Promise<void> {
    await this.stop();
    const { resume, ...rest } = this.fields;
    this.fields = {
      ...rest,
      ...extra,
      status: outcome.status,
      endedAt: new Date().toISOString(),
      // A failed run is resumable too, once what failed is fixed (Blender, a key, the disk).
      ...(outcome.status === "done" ? {} : { resume }),
      ...(outcome.status === "failed" ? { error: oneLine(outcome.error) } : {}),
    };
    await this.write();
  }

  /**
   * Stops the heartbeat and waits for writes under way, for a caller that writes the final
   * run.json itself (the agent's writeRunRecord).
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writes.catch(() => {});
  }

  /** Ends the record by how `body` ended, and passes its result or error on. */
  async track<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      const status = e instanceof RunInterrupted ? "interrupted" : "failed";
      await this.end({ status, error: e }).catch(() => {});
      throw e;
    }
  }

  private write(): Promise<void> {
    const snapshot = { ...this.fields, heartbeatAt: new Date().toISOString() };
    // A failed write (disk full) must not stop the ones after it.
    this.writes = this.writes.catch(() => {}).then(() => writeJsonAtomic(this.file, snapshot));
    return this.writes;
  }
}
