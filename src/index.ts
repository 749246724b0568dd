/**
 * seig's library API: the MCP server and scripts go through these functions (DESIGN.md §5). See
 * the README's "Library API" section for an example.
 *
 * CLI commands on it so far: render, compare/eval (and every command reads programs through
 * loadProgram). Still calling src/apps or the methods directly, to move once their owners'
 * current work has landed: views, relight, set, export, reconstruct (offline and agent), edit,
 * bench, worker/queue.
 */

export { EventLog, ReconstructEvent } from "./api/events.ts";
export type { OpenedRun, RunStatus } from "./api/open-run.ts";
export { openRun } from "./api/open-run.ts";
export type { PoolChoice, PoolSource } from "./api/pool-source.ts";
export { SharedPool } from "./api/pool-source.ts";
export type { LoadedProgram, ProgramRef } from "./api/program-ref.ts";
export { loadProgram } from "./api/program-ref.ts";
export type { HandleStatus, ReconstructHandle, ReconstructOptions } from "./api/reconstruct.ts";
export { ReconstructSettings, reconstruct } from "./api/reconstruct.ts";
export type { ResumeOptions } from "./api/resume.ts";
export { resume } from "./api/resume.ts";
export type {
  CompareOptions,
  ExportOptions,
  RelightOptions,
  RenderOptions,
  RenderResult,
} from "./api/scene.ts";
export { compare, exportScene, relight, render, setParams } from "./api/scene.ts";
export type { SceneInfo } from "./api/scene-info.ts";
export { describeScene } from "./api/scene-info.ts";
export type { PoolOptions } from "./blender/pool.ts";
export { BlenderPool } from "./blender/pool.ts";
export { ImageError, InputError, RunInterrupted, SeigError } from "./errors.ts";
export type { MetricReport } from "./metrics/metric-report.ts";
export { MetricsFile, RunRecord } from "./run/files.ts";
