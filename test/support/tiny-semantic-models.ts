/**
 * Local CLIP and DINO model folders that @huggingface/transformers loads with no network: the
 * real repositories' layout (config.json, preprocessor_config.json, onnx/<file>.onnx) under
 * <root>/<org>/<name>, with the real preprocessor configs but a tiny hand-written ONNX graph in
 * place of the network, so the embedding a test expects can be computed by hand:
 *  - CLIP (`image_embeds`): the mean of each normalised channel over the 224×224 crop, [batch, 3];
 *  - DINO (`last_hidden_state`): one token per pixel row (the row's channel means), [batch, 224, 3],
 *    so its CLS token (token 0) is the top row.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CLIP_MODEL, DINO_MODEL } from "../../src/metrics/semantic-models.ts";
import { tinyOnnxModel } from "./tiny-onnx.ts";

// CLIP's processor config as openai/clip-vit-base-patch32 publishes it now, and a ViT (DINO) one
// with a fixed 224×224 size. The older CLIP form (`size: 224`, `crop_size: 224`) means something
// else to transformers.js: an integer size caps the longest edge too, so a 4:3 image is shrunk to
// 224×168 and the centre crop pads it with black rows.
export const CLIP_PREPROCESSOR = {
  crop_size: { height: 224, width: 224 },
  do_center_crop: true,
  do_normalize: true,
  do_resize: true,
  feature_extractor_type: "CLIPFeatureExtractor",
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_std: [0.26862954, 0.26130258, 0.27577711],
  resample: 3,
  size: { shortest_edge: 224 },
};
export const DINO_PREPROCESSOR = {
  do_normalize: true,
  do_resize: true,
  feature_extractor_type: "ViTFeatureExtractor",
  image_mean: [0.485, 0.456, 0.406],
  image_std: [0.229, 0.224, 0.225],
  resample: 2,
  size: { height: 224, width: 224 },
};

const PIXELS = ["batch", 3, 224, 224];

async function writeModel(
  root: string,
  modelId: string,
  files: { config: object; preprocessor: object; onnxName: string; onnx: Uint8Array | null },
): Promise<void> {
  const dir = path.join(root, modelId);
  await mkdir(path.join(dir, "onnx"), { recursive: true });
  await writeFile(path.join(dir, "config.json"), JSON.stringify(files.config));
  await writeFile(path.join(dir, "preprocessor_config.json"), JSON.stringify(files.preprocessor));
  if (files.onnx) await writeFile(path.join(dir, "onnx", files.onnxName), files.onnx);
}

/** Writes both models under `root`; `withWeights: false` leaves out the ONNX files (configs only). */
export async function writeTinySemanticModels(root: string, withWeights = true): Promise<void> {
  await writeModel(root, CLIP_MODEL.modelId, {
    config: { model_type: "clip_vision_model" },
    preprocessor: CLIP_PREPROCESSOR,
    // CLIPVisionModelWithProjection loads onnx/vision_model.onnx.
    onnxName: "vision_model.onnx",
    onnx: withWeights
      ? tinyOnnxModel({
          inputs: { pixel_values: PIXELS },
          outputs: { image_embeds: ["batch", 3] },
          nodes: [
            {
              op: "ReduceMean",
              inputs: ["pixel_values"],
              outputs: ["image_embeds"],
              ints: { axes: [2, 3] },
              int: { keepdims: 0 },
            },
          ],
        })
      : null,
  });
  await writeModel(root, DINO_MODEL.modelId, {
    config: { model_type: "vit" },
    preprocessor: DINO_PREPROCESSOR,
    onnxName: "model.onnx",
    onnx: withWeights
      ? tinyOnnxModel({
          inputs: { pixel_values: PIXELS },
          outputs: { last_hidden_state: ["batch", 224, 3] },
          nodes: [
            {
              op: "ReduceMean",
              inputs: ["pixel_values"],
              outputs: ["rows"],
              ints: { axes: [3] },
              int: { keepdims: 0 },
            },
            { op: "Transpose", inputs: ["rows"], outputs: ["last_hidden_state"], ints: { perm: [0, 2, 1] } },
          ],
        })
      : null,
  });
}
