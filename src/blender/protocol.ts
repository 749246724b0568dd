/**
 * The line-delimited JSON protocol between the worker pool and a Blender worker
 * (src/blender/python/worker.py). Requests go to the worker's stdin, one JSON object per
 * line; replies come back on file descriptor 3 so Blender's own chatter on stdout never
 * mixes with them. Both directions are validated here.
 */
import { z } from "zod";

export const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
export type Vec3 = z.infer<typeof Vec3>;

/** A camera placed by the caller instead of the program's own (orbit views, close-ups). */
export const CameraOverride = z.object({
  location: Vec3,
  lookAt: Vec3,
  /** Focal length in mm; the program's camera lens when omitted. */
  lensMm: z.number().positive().optional(),
});
export type CameraOverride = z.infer<typeof CameraOverride>;

export const ViewRequest = z.object({
  name: z.string().regex(/^[\w.-]+$/),
  camera: CameraOverride.optional(),
});
export type ViewRequest = z.infer<typeof ViewRequest>;

/** Every render is Cycles on the CPU with a fixed seed: the one engine whose pixels are reproducible here. */
export const RenderSettings = z.object({
  samples: z.number().int().min(1).max(4096).default(16),
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  seed: z.number().int().min(0).default(0),
  /** Cycles threads; 0 lets Blender choose. Pools set 1 per worker when they fill every core. */
  threads: z.number().int().min(0).default(0),
  /** Views to render; one default view with the program's camera when empty. */
  views: z.array(ViewRequest).default([]),
});
export type RenderSettings = z.input<typeof RenderSettings>;

/**
 * An object-index mask of the built scene through its own camera (python/masks.py), rendered
 * after everything else the job does: mask.png, each pixel the id (red + 256 · green) of the
 * geometry object frontmost there, 0 where there is none.
 */
export const MaskRequest = z.object({
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  /** Cycles threads; 0 lets Blender choose (the pool fills in its per-worker share). */
  threads: z.number().int().min(0).default(0),
});
export type MaskRequest = z.input<typeof MaskRequest>;

export const MASK_FILE = "mask.png";

/** Which object each mask id stands for; ids are unique (the child's word, checked). */
export const MaskLegend = z
  .array(z.object({ id: z.number().int().min(1).max(65535), name: z.string() }))
  .max(65535)
  .refine((entries) => new Set(entries.map((e) => e.id)).size === entries.length, "mask ids repeat");
export type MaskLegend = z.infer<typeof MaskLegend>;

export const ImageFormat = z.enum(["PNG", "BMP"]);
export type ImageFormat = z.infer<typeof ImageFormat>;

/** A job as the pool sends it to a worker. The worker's job folder is fixed (/job inside the
 * sandbox): the request names no host paths, and Node alone decides where outputs land. */
export const JobRequest = z
  .object({
    /** Unguessable per job, so a reply cannot be prepared for a later job. */
    id: z.string(),
    /** Program text before the `# --- seig:end ---` marker; the worker appends the canonical footer. */
    body: z.string(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Omit to build and fingerprint without rendering. */
    render: RenderSettings.optional(),
    /** Raw mode for sandbox tests only: skip the static screen so the OS sandbox is what is tested. */
    skipScreen: z.boolean().default(false),
    /**
     * Fingerprint the built scene and report its objects' stats (reply.fingerprint, reply.objects).
     * Search renders read neither, so they skip the cost.
     */
    fingerprint: z.boolean().default(true),
    /** Also fingerprint the scene after each section function (reply.sections), for scope checks. */
    sectionFingerprints: z.boolean().default(false),
    /** Further files the job writes into its folder and hands back (trusted jobs such as the API dump). */
    collect: z.array(z.string().regex(/^[\w][\w.-]*$/)).default([]),
    /** Hand back the built scene as scene.blend / scene.glb. */
    saveBlend: z.boolean().default(false),
    saveGlb: z.boolean().default(false),
    /** Also render an object-index mask (mask.png, reply.mask); single jobs only, not batches. */
    mask: MaskRequest.optional(),
    /**
     * A batch: the program is loaded once and built and rendered once per PARAMS set, one image
     * each (c<i>.<ext>), in order; `params` is then unused. See python/batch.py.
     */
    paramSets: z.array(z.record(z.string(), z.unknown())).min(1).max(256).optional(),
    /** A batch's image format: BMP is the same 8-bit pixels as PNG without the deflate. */
    imageFormat: ImageFormat.default("PNG"),
    /** The worker kills the job's process at this wall-clock limit (Node has its own, later, backstop). */
    timeoutSeconds: z.number().positive(),
    /** CPU-time limit of the job's process (RLIMIT_CPU). */
    cpuSeconds: z.number().int().positive(),
  })
  // Output names are a flat namespace in the job folder: a view called "mask" would be overwritten.
  .refine(
    (job) =>
      !job.mask ||
      ![...(job.render?.views ?? []).map((v) => `${v.name}.png`), ...job.collect].includes(MASK_FILE),
    `with a mask request, no view or collected file may be named ${MASK_FILE}`,
  );
export type JobRequest = z.input<typeof JobRequest>;

export const ObjectStats = z.object({
  name: z.string(),
  type: z.string(),
  /** World-space axis-aligned bounding box. */
  bboxMin: Vec3,
  bboxMax: Vec3,
  location: Vec3,
  /** Object-to-world matrix, row-major 4×4 (cameras: to compare scenes in camera space). */
  matrixWorld: z.array(z.number()).length(16),
  /** Camera focal length and sensor width in mm (cameras only). */
  lensMm: z.number().nullable().default(null),
  sensorMm: z.number().nullable().default(null),
  materials: z.array(z.string()),
  /** From the first material's Principled BSDF, when there is one (for 3D colour/material errors). */
  baseColor: z.tuple([z.number(), z.number(), z.number()]).nullable().default(null),
  metallic: z.number().nullable().default(null),
  roughness: z.number().nullable().default(null),
  /** Meshes: volume ÷ local bounding-box volume, and V − E + F (primitive class, bench/shape-class.ts). */
  volumeRatio: z.number().nullable().default(null),
  eulerCharacteristic: z.number().int().nullable().default(null),
});
export type ObjectStats = z.infer<typeof ObjectStats>;

/**
 * Per-stage fingerprints (a stage is also the Blender factor it changes). Each maps a stable key (object or slot name) to a value that
 * changes exactly when that factor of that thing changes; see fingerprint.py for what
 * goes into each.
 */
export const Fingerprint = z.object({
  geometry: z.record(z.string(), z.string()),
  material: z.record(z.string(), z.string()),
  composition: z.record(z.string(), z.string()),
  lighting: z.record(z.string(), z.string()),
});
export type Fingerprint = z.infer<typeof Fingerprint>;

export const JobErrorKind = z.enum([
  "screen",
  "syntax",
  "runtime",
  "audit",
  "render",
  "timeout",
  "crash",
  "protocol",
]);
export type JobErrorKind = z.infer<typeof JobErrorKind>;

export const JobFailure = z.object({
  kind: JobErrorKind,
  message: z.string(),
  traceback: z.string().default(""),
  /** 1-based line in the program where the error happened, when known. */
  line: z.number().int().nullable().default(null),
});
export type JobFailure = z.infer<typeof JobFailure>;

/** What the job's own (untrusted) process reports; checked and completed by reply.ts. */
export const ChildReply = z.object({
  id: z.string(),
  ok: z.boolean(),
  /** Names of the views it says it rendered (Node believes only files it asked for and got). */
  images: z.array(z.string()).default([]),
  fingerprint: Fingerprint.nullable().default(null),
  /** With sectionFingerprints: the scene's fingerprint after each section ran, by stage. */
  sections: z.record(z.string(), Fingerprint).nullable().default(null),
  objects: z.array(ObjectStats).default([]),
  stdout: z.string().default(""),
  /** Seconds Blender itself spent building and rendering (for overhead accounting). */
  buildSeconds: z.number().default(0),
  renderSeconds: z.number().default(0),
  /** A batch's check and reset of the child's state before this set (python/state.py). */
  resetSeconds: z.number().default(0),
  /** With a mask request: the ids of mask.png, and the seconds its render took. */
  maskLegend: MaskLegend.nullable().default(null),
  maskSeconds: z.number().default(0),
  blenderVersion: z.string().default(""),
  error: JobFailure.nullable().default(null),
  /** A batch: the first PARAMS set the child did not run because its state changed (python/state.py). */
  fallbackFrom: z.number().int().nonnegative().nullable().default(null),
  fallbackReason: z.string().default(""),
});

/** A batch's line per candidate, sent as soon as its image is in place (python/batch.py). */
export const CandidateLine = z.object({
  candidate: z.number().int().nonnegative(),
  ok: z.boolean(),
  image: z.boolean(),
  error: JobFailure.nullable().default(null),
  buildSeconds: z.number().default(0),
  renderSeconds: z.number().default(0),
  /** A batch's check and reset of the child's state before this set (python/state.py). */
  resetSeconds: z.number().default(0),
});
export type CandidateLine = z.infer<typeof CandidateLine>;

/**
 * A batch candidate the zygote forwards while the child renders the next ones (python/worker.py
 * Stream): the child's reply line for candidate `partial` and that candidate's image. As
 * untrusted as the envelope; the envelope that follows holds the same lines.
 */
export const PartialEnvelope = z.object({
  id: z.string(),
  partial: z.number().int().nonnegative(),
  line: z.string(),
  files: z.record(z.string(), z.string()),
});
export type PartialEnvelope = z.infer<typeof PartialEnvelope>;

/** What the worker's zygote sends per job: how the job's process ended, its raw reply, and
 * the requested output files it read from the job folder (base64). */
export const WorkerEnvelope = z.object({
  id: z.string(),
  exit: z.object({
    code: z.number().int().nullable(),
    signal: z.number().int().nullable(),
    timedOut: z.boolean(),
  }),
  reply: z.string().nullable(),
  replyOverflow: z.boolean(),
  files: z.record(z.string(), z.string()),
  /** The zygote could not clean up after the job: the pool must replace the worker. */
  retire: z.boolean(),
});
export type WorkerEnvelope = z.infer<typeof WorkerEnvelope>;

/** A finished job as callers see it: image paths are built by Node inside the job's folder. */
export const JobReply = ChildReply.omit({ maskLegend: true }).extend({
  images: z.array(z.object({ name: z.string(), path: z.string() })).default([]),
  /** The mask a job asked for: mask.png in its output folder and the ids' legend. */
  mask: z.object({ path: z.string(), legend: MaskLegend }).nullable().default(null),
});
export type JobReply = z.infer<typeof JobReply>;

/** The worker's view of its own confinement (python/probe.py). */
export const SandboxReport = z.object({
  uid: z.number(),
  capEff: z.string(),
  capBnd: z.string(),
  seccomp: z.number(),
  noNewPrivs: z.boolean(),
  pid: z.number(),
  mounts: z.array(z.object({ path: z.string(), readOnly: z.boolean(), type: z.string() })),
  interfaces: z.array(z.string()),
});
export type SandboxReport = z.infer<typeof SandboxReport>;

/** First line a worker writes on fd 3 once it is ready for jobs. */
export const ReadyMessage = z.object({
  ready: z.literal(true),
  blenderVersion: z.string(),
  sandbox: SandboxReport,
});
