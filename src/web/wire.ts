/**
 * What crosses the HTTP boundary: zod schemas for every request body and query, and the shapes
 * of the JSON the server answers with. The front end imports these types only (no zod in the
 * bundle), so a change here shows up as a type error on both sides.
 */
import { z } from "zod";
import { SceneKindChoice } from "../program/scene-kind.ts";

/** A run is addressed by its folder name inside --runs: no separators, no leading dot. */
export const RunId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "not a run id");

/** The form fields sent with an uploaded photo (multipart strings, coerced). */
export const StartRunFields = z.object({
  model: z
    .string()
    .trim()
    .regex(/^(offline|[a-z][\w-]*:.+)$/, "offline or provider:model")
    .default("offline"),
  budget: z.coerce.number().int().min(10).max(5000).default(120),
  workingSide: z.coerce.number().int().min(16).max(512).default(64),
  finalSide: z.coerce.number().int().min(32).max(1024).default(320),
  finalSamples: z.coerce.number().int().min(1).max(256).default(16),
  seed: z.coerce.number().int().min(0).default(0),
  sceneKind: SceneKindChoice.default("auto"),
});
export type StartRunFields = z.infer<typeof StartRunFields>;

/** A value for one PARAMS key: a number, a vector, or text as the CLI reads it (`#ff8800`). */
const ParamValue = z.union([z.number(), z.string(), z.array(z.number())]);

export const RenderRequest = z.object({
  params: z.record(z.string(), ParamValue).default({}),
  width: z.number().int().min(16).max(1024).default(320),
  height: z.number().int().min(16).max(1024).default(240),
  samples: z.number().int().min(1).max(256).default(8),
});
export type RenderRequest = z.input<typeof RenderRequest>;

export const SaveRequest = z.object({ params: z.record(z.string(), ParamValue).default({}) });

export const RelightRequest = z.object({
  params: z.record(z.string(), ParamValue).default({}),
  sky: z.enum(["noon", "sunset", "overcast", "night"]),
});

export const EditRequest = z.object({
  instruction: z.string().trim().min(1, "the instruction is empty").max(2000),
  /** Hand edits to apply before the instruction (the page's current slider values). */
  params: z.record(z.string(), ParamValue).default({}),
  attempts: z.number().int().min(1).max(5).default(2),
});

export interface EditReply {
  program: string;
  before: string;
  after: string;
  comparison: string;
  stage: string;
  verdict: string;
  usage: string;
  seconds: number;
}

export interface ServerConfig {
  /** The model `edit` uses, or null with the reason the instruction box is unavailable. */
  editModel: string | null;
  editUnavailable: string | null;
}

/** A benchmark results folder (results.json) shown from the runs list. */
export interface BenchSummary {
  name: string;
  method: string | null;
  scenes: number | null;
  failed: number | null;
  date: string;
  /** Mean of each metric column, as results.json's summary gives it. */
  summary: { key: string; label: string; mean: number | null }[];
  page: string;
}

export interface RunSummary {
  id: string;
  status: string;
  method: string | null;
  psnr: number | null;
  ssim: number | null;
  lpips: number | null;
  date: string;
  thumbnail: string | null;
  live: boolean;
}

export interface StageView {
  name: string;
  image: string | null;
  program: string | null;
  metrics: Record<string, unknown> | null;
}

/** Metrics of a render against the photo, both at width×height (the photo's resolution). */
export interface StageMetricsAt {
  psnr: number | null;
  ssim: number | null;
  lpips: number | null;
  width: number;
  height: number;
  /** Why a metric is missing (e.g. no LPIPS model). */
  unavailable: Record<string, string>;
}

/** One stage in the result view's timeline (GET /api/runs/:id/stages/:stage). */
export interface StageDetail {
  name: string;
  previous: string | null;
  /** The stage's best program rendered at the photo's resolution. */
  image: string;
  metrics: StageMetricsAt;
  /** The verifier's last checklist for this stage (model runs only). */
  checklist: { items: { object: string; problem: string; fix: string }[]; approved: boolean } | null;
  /** Unified diff of the program body against the previous stage's (null for the first stage). */
  diff: string | null;
}

export interface RunDetail extends RunSummary {
  run: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  target: string | null;
  final: string | null;
  stages: StageView[];
  files: { name: string; url: string }[];
}

export interface ParamRow {
  key: string;
  /** As in the program: numbers, vectors, text (nested values are shown read-only). */
  value: unknown;
  owners: string[];
}

export interface RenderReply {
  image: string;
  seconds: number;
}

/** One SSE message: a library progress event, or the current best render. */
export type StreamMessage =
  | { kind: "event"; event: { type: string; [k: string]: unknown } }
  | { kind: "best"; image: string; loss?: number; stage?: string }
  | { kind: "end"; status: string };
