/**
 * What travels through Redis, described once with zod and checked at both ends: the job a
 * submitter adds (read back by the worker) and the result a worker returns (read back by the
 * submitter). Strict objects, so nothing unexpected — least of all a model key — rides along.
 */
import { z } from "zod";
import { ReconstructSettings } from "../api/reconstruct.ts";

export const QUEUE_NAME = "seig-reconstruct";

/** An input image: its bytes (small photos, the default) or a path every worker can read (shared storage). */
export const InputFile = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("bytes"), name: z.string().min(1), base64: z.string() }),
  z.strictObject({ kind: z.literal("path"), path: z.string().min(1) }),
]);
export type InputFile = z.infer<typeof InputFile>;

/**
 * How the run folder comes back: packed into the job's result, copied into a shared folder, or
 * stored in S3-compatible object storage (the URL only; each machine has its own credentials).
 */
export const Delivery = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("pack"), maxBytes: z.number().int().positive() }),
  z.strictObject({ kind: z.literal("dir"), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal("s3"), url: z.string().min(1) }),
]);
export type Delivery = z.infer<typeof Delivery>;

/** The serialisable part of a benchmark method's options (src/bench/methods.ts MethodOptions). */
export const SceneMethodOptions = z.strictObject({
  seed: z.number().int().min(0),
  stages: z.array(z.string()).optional(),
  budget: z.string().optional(),
  oneShot: z.boolean().optional(),
  tune: z.boolean().optional(),
  concurrency: z.number().int().min(1).optional(),
});
export type SceneMethodOptions = z.infer<typeof SceneMethodOptions>;

/** One benchmark scene: reconstruct with a method, then score exactly as `bench run` does locally. */
export const SceneJob = z.strictObject({
  kind: z.literal("scene"),
  suite: z.string().min(1),
  scene: z.string().min(1),
  target: InputFile,
  /** The scene's truth.json text, when it has ground truth. */
  truth: z.string().nullable(),
  /** The truth's program.py text (its object mask gives the silhouette IoUs); null without one. */
  truthProgram: z.string().nullable().default(null),
  /** A registered method name or a model spec; the model's key is read on the worker. */
  method: z.string().min(1),
  methodOptions: SceneMethodOptions,
  semantic: z.boolean(),
  delivery: Delivery,
});
export type SceneJob = z.infer<typeof SceneJob>;

/** One photo through the library's `reconstruct` (what `seig reconstruct --queue` submits). */
export const PhotoJob = z.strictObject({
  kind: z.literal("photo"),
  image: InputFile,
  settings: ReconstructSettings.omit({ outDir: true }).strict(),
  delivery: Delivery,
});
export type PhotoJob = z.infer<typeof PhotoJob>;

/** Does nothing for `sleepMs`: measures the queue's own cost per job, and checks workers are alive. */
export const NoopJob = z.strictObject({
  kind: z.literal("noop"),
  sleepMs: z.number().int().min(0).max(600_000),
});
export type NoopJob = z.infer<typeof NoopJob>;

export const JobData = z.discriminatedUnion("kind", [SceneJob, PhotoJob, NoopJob]);
export type JobData = z.infer<typeof JobData>;

export const PackedFile = z.strictObject({ path: z.string().min(1), base64: z.string() });
export type PackedFile = z.infer<typeof PackedFile>;

export const JobResult = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("packed"),
    worker: z.string(),
    seconds: z.number(),
    bytes: z.number().int(),
    files: z.array(PackedFile),
  }),
  z.strictObject({ kind: z.literal("dir"), worker: z.string(), seconds: z.number(), path: z.string() }),
  /** `url`: the job's folder in object storage (s3+http(s)://host/bucket/prefix/<job id>). */
  z.strictObject({ kind: z.literal("s3"), worker: z.string(), seconds: z.number(), url: z.string() }),
  z.strictObject({ kind: z.literal("noop"), worker: z.string(), seconds: z.number() }),
]);
export type JobResult = z.infer<typeof JobResult>;

/** Live progress a worker reports (`job.updateProgress`): the latest method event, shortened. */
export const JobProgress = z.strictObject({
  worker: z.string(),
  stage: z.string().nullable(),
  fraction: z.number().nullable(),
  text: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;
