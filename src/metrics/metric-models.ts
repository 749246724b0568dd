import { oneLine } from "../errors.ts";
import { LpipsModel } from "./lpips.ts";
import {
  defaultLpipsModelPath,
  defaultModelCacheDir,
  defaultModelsDir,
  downloadsAllowed,
} from "./model-paths.ts";
import type { SemanticEncoder } from "./semantic-encoder.ts";
import { CLIP_MODEL, DINO_MODEL, type SemanticModelSpec } from "./semantic-models.ts";

/** A model that loaded, or the one-line reason it could not be used. */
export type Availability<T> = { ok: true; model: T } | { ok: false; reason: string };

export interface MetricModelOptions {
  /** LPIPS ONNX file. Default: $SEIG_LPIPS_MODEL or ../shared/models/lpips_squeeze.onnx. */
  lpipsModel?: string;
  /** Local Hugging Face models folder (<dir>/<org>/<name>). Default: $SEIG_MODELS_DIR or ../shared/models. */
  modelsDir?: string;
  /** Download cache. Default: ~/.cache/seig/models (see defaultModelCacheDir). */
  cacheDir?: string;
  /** Compute CLIP and DINO. Default true; false reports them unavailable without touching any model. */
  semantic?: boolean;
  /** Allow downloading missing CLIP/DINO models once into cacheDir. Default: true unless HF_HUB_OFFLINE=1. */
  allowDownload?: boolean;
  /** Limit on the hub reachability check before a download. Default 5000 ms. */
  probeTimeoutMs?: number;
  /** Hub to download CLIP/DINO from. Default: transformers.js's (https://huggingface.co/). */
  remoteHost?: string;
}

/**
 * The models behind LPIPS, CLIP and DINO, loaded on first use and kept for the caller's lifetime
 * (one run compares many renders). Each load is attempted once; a failure is remembered as the
 * reason the metric is unavailable. Call close() when done.
 */
export class MetricModels {
  private readonly cache = new Map<string, Promise<Availability<LpipsModel | SemanticEncoder>>>();
  readonly lpipsModelPath: string;
  readonly modelsDir: string;
  readonly cacheDir: string;
  readonly semantic: boolean;
  readonly allowDownload: boolean;
  private readonly probeTimeoutMs: number | undefined;
  private readonly remoteHost: string | undefined;

  constructor(opts: MetricModelOptions = {}) {
    this.lpipsModelPath = opts.lpipsModel ?? defaultLpipsModelPath();
    this.modelsDir = opts.modelsDir ?? defaultModelsDir();
    this.cacheDir = opts.cacheDir ?? defaultModelCacheDir();
    this.semantic = opts.semantic ?? true;
    this.allowDownload = opts.allowDownload ?? downloadsAllowed();
    this.probeTimeoutMs = opts.probeTimeoutMs;
    this.remoteHost = opts.remoteHost;
  }

  lpips(): Promise<Availability<LpipsModel>> {
    return this.once(`lpips:${this.lpipsModelPath}`, () => LpipsModel.load(this.lpipsModelPath)) as Promise<
      Availability<LpipsModel>
    >;
  }

  clip(): Promise<Availability<SemanticEncoder>> {
    return this.semanticEncoder(CLIP_MODEL);
  }

  dino(): Promise<Availability<SemanticEncoder>> {
    return this.semanticEncoder(DINO_MODEL);
  }

  /** Releases every model that loaded. */
  async close(): Promise<void> {
    const loaded = await Promise.all(this.cache.values());
    this.cache.clear();
    await Promise.all(loaded.map((a) => (a.ok ? a.model.close() : undefined)));
  }

  private semanticEncoder(spec: SemanticModelSpec): Promise<Availability<SemanticEncoder>> {
    if (!this.semantic) {
      return Promise.resolve({ ok: false, reason: `${spec.label} disabled (semantic metrics switched off)` });
    }
    return this.once(`${spec.metric}:${spec.modelId}`, async () => {
      // Loaded lazily: transformers.js is only needed when semantic metrics are asked for.
      const { SemanticEncoder } = await import("./semantic-encoder.ts");
      return SemanticEncoder.load(spec, {
        modelsDir: this.modelsDir,
        cacheDir: this.cacheDir,
        allowDownload: this.allowDownload,
        probeTimeoutMs: this.probeTimeoutMs,
        remoteHost: this.remoteHost,
      });
    }) as Promise<Availability<SemanticEncoder>>;
  }

  private once(
    key: string,
    load: () => Promise<LpipsModel | SemanticEncoder>,
  ): Promise<Availability<LpipsModel | SemanticEncoder>> {
    let entry = this.cache.get(key);
    if (!entry) {
      entry = load().then(
        (model) => ({ ok: true as const, model }),
        (e: unknown) => ({ ok: false as const, reason: oneLine(e) }),
      );
      this.cache.set(key, entry);
    }
    return entry;
  }
}

export function createMetricModels(opts: MetricModelOptions = {}): MetricModels {
  return new MetricModels(opts);
}
