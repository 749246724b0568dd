/** What callers hand the Blender pool (pool.ts), and the pool's failure texts. */
import type { OnBatchResult } from "./batch-stream.ts";
import type { ImageFormat, MaskRequest, RenderSettings } from "./protocol.ts";
import type { SandboxMode } from "./sandbox.ts";

export interface PoolOptions {
  /** Number of workers; defaults to the number of cores. */
  size?: number;
  /** "auto" requires bubblewrap; "none" runs untrusted programs unsandboxed (--unsafe-no-sandbox). */
  sandbox?: SandboxMode;
  /** Host folders Node may write job outputs into, besides the pool's own temporary folder. */
  writableDirs?: string[];
  /** Per-job timeout. */
  timeoutMs?: number;
  memoryLimitBytes?: number;
  /** Cycles threads per worker; by default the cores are shared evenly between workers. */
  threadsPerWorker?: number;
}

/** A job as callers write it. Outputs land in `outDir` (the pool's folder by default). */
export interface PoolJob {
  body: string;
  params?: Record<string, unknown>;
  render?: RenderSettings;
  /** Sandbox tests only: skip the static screen so that the OS sandbox is what is tested. */
  skipScreen?: boolean;
  outDir?: string;
  /** Skip the fingerprint and object stats (false): for renders that only need pixels. Default true. */
  fingerprint?: boolean;
  /** Fingerprint the scene after each section too (reply.sections). */
  sectionFingerprints?: boolean;
  /** Trusted jobs only: files the job writes into its folder that Node copies into outDir. */
  collect?: string[];
  /** Host paths for the built scene as .blend / glTF binary. */
  saveBlend?: string;
  saveGlb?: string;
  /** Also render an object-index mask through the program's camera (reply.mask). */
  mask?: MaskRequest;
}

/** One program, several PARAMS sets: see BlenderPool.runBatch. Renders the default view only. */
export interface BatchJob {
  body: string;
  paramSets: Record<string, unknown>[];
  render: Omit<RenderSettings, "views">;
  /** One output folder per PARAMS set; its image lands there as render.png (or .bmp). */
  outDirs: string[];
  imageFormat?: ImageFormat;
  /** Sandbox tests only (see PoolJob). */
  skipScreen?: boolean;
  /** Each candidate the worker forwards while the batch still renders (batch-stream.ts). */
  onResult?: OnBatchResult;
}

export function timeoutText(timeoutMs: number): string {
  return `the program did not finish within ${Math.round(timeoutMs / 1000)} s (infinite loop?)`;
}

export function workerFailureText(outcome: { failure: string; detail: string }, timeoutText: string): string {
  if (outcome.failure === "timeout") return `${timeoutText}; its worker was restarted`;
  if (outcome.failure === "protocol")
    return `the worker broke the protocol (${outcome.detail}); it was replaced`;
  return `Blender crashed while running the program; its worker was restarted (${outcome.detail || "no output"})`;
}
