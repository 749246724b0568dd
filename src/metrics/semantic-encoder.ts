import {
  AutoImageProcessor,
  AutoModel,
  CLIPVisionModelWithProjection,
  env,
  type ImageProcessor,
  type PreTrainedModel,
  type Tensor,
} from "@huggingface/transformers";
import { oneLine, SeigError } from "../errors.ts";
import type { RgbImage } from "../image/types.ts";
import { type LocateOptions, locateModel, type ModelLocation } from "./model-locate.ts";
import { toRawImage } from "./raw-image.ts";
import type { SemanticModelSpec } from "./semantic-models.ts";

/**
 * An image encoder for a semantic metric (CLIP or DINO): the model's own image processor
 * (resize, crop, normalise from its preprocessor_config.json) followed by the ONNX model.
 */
export class SemanticEncoder {
  // A run compares many renders with one target: its embedding is computed once per image object.
  private readonly embeddings = new WeakMap<RgbImage, Float32Array>();

  private constructor(
    readonly spec: SemanticModelSpec,
    private readonly processor: ImageProcessor,
    private readonly model: PreTrainedModel,
  ) {}

  /** Locates and loads the model; throws SeigError with a one-line reason when it is unavailable. */
  static async load(
    spec: SemanticModelSpec,
    opts: Omit<LocateOptions, "remoteHost"> & { remoteHost?: string | undefined },
  ): Promise<SemanticEncoder> {
    const remoteHost = opts.remoteHost ?? env.remoteHost;
    const location = await locateModel(spec.modelId, spec.label, { ...opts, remoteHost });
    configureHub(location, opts.modelsDir, remoteHost);
    try {
      const processor = await loadImageProcessor(spec.modelId);
      const options = { dtype: "fp32" as const, device: "cpu" as const };
      const model =
        spec.embedding === "image_embeds"
          ? await CLIPVisionModelWithProjection.from_pretrained(spec.modelId, options)
          : await AutoModel.from_pretrained(spec.modelId, options);
      return new SemanticEncoder(spec, processor, model);
    } catch (e) {
      throw new SeigError(`${spec.label} (${spec.modelId}) could not be loaded: ${oneLine(e)}`);
    }
  }

  /** The image's embedding: CLIP's projected image embedding or DINO's CLS token. */
  async embed(img: RgbImage): Promise<Float32Array> {
    const cached = this.embeddings.get(img);
    if (cached) return cached;
    const embedding = await this.compute(img);
    this.embeddings.set(img, embedding);
    return embedding;
  }

  private async compute(img: RgbImage): Promise<Float32Array> {
    const inputs = await this.processor(toRawImage(img));
    const outputs = (await this.model(inputs)) as Record<string, Tensor>;
    if (this.spec.embedding === "image_embeds") {
      return Float32Array.from(outputs["image_embeds"]!.data as Float32Array);
    }
    const hidden = outputs["last_hidden_state"]!;
    const width = hidden.dims[2]!;
    return Float32Array.from((hidden.data as Float32Array).subarray(0, width));
  }

  async close(): Promise<void> {
    await this.model.dispose();
  }
}

/** The model's image processor, read from its preprocessor_config.json. */
export function loadImageProcessor(modelId: string): Promise<ImageProcessor> {
  return AutoImageProcessor.from_pretrained(modelId);
}

/**
 * transformers.js reads where to find models from its process-wide `env`; every load sets it
 * from the caller's options right before loading, so no caller depends on another's settings.
 */
export function configureHub(location: ModelLocation, modelsDir: string, remoteHost?: string): void {
  env.allowLocalModels = true;
  if (location.kind === "local") {
    env.localModelPath = location.root;
    env.allowRemoteModels = false;
  } else {
    env.localModelPath = modelsDir;
    env.cacheDir = location.cacheDir;
    env.allowRemoteModels = true;
    // Download from the hub whose reachability was checked.
    if (remoteHost) env.remoteHost = remoteHost;
  }
}
