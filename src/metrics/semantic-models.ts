/**
 * The semantic-similarity models seig reports: which Hugging Face repository each metric loads
 * (ONNX exports usable by @huggingface/transformers) and how its image embedding is read.
 */
export interface SemanticModelSpec {
  readonly metric: "clip" | "dino";
  /** For messages and tables. */
  readonly label: string;
  /** Hugging Face repository id; also the sub-folder looked for inside a local models folder. */
  readonly modelId: string;
  /** `image_embeds`: CLIP's projected image embedding; `cls`: the CLS token of the last hidden state. */
  readonly embedding: "image_embeds" | "cls";
}

export const CLIP_MODEL: SemanticModelSpec = {
  metric: "clip",
  label: "CLIP ViT-B/32",
  modelId: "Xenova/clip-vit-base-patch32",
  embedding: "image_embeds",
};

export const DINO_MODEL: SemanticModelSpec = {
  metric: "dino",
  label: "DINO ViT-S/16",
  modelId: "Xenova/dino-vits16",
  embedding: "cls",
};
