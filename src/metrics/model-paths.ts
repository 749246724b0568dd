import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where metric models live when the caller does not say. Environment variables win over the
 * defaults so a shared machine can point every run at one folder.
 */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** LPIPS ONNX model: $SEIG_LPIPS_MODEL, else ../shared/models/lpips_squeeze.onnx beside the repo. */
export function defaultLpipsModelPath(env: NodeJS.ProcessEnv = process.env): string {
  return env["SEIG_LPIPS_MODEL"] || path.resolve(REPO_ROOT, "../shared/models/lpips_squeeze.onnx");
}

/** Folder of local Hugging Face models laid out as <dir>/<org>/<name>: $SEIG_MODELS_DIR, else ../shared/models. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["SEIG_MODELS_DIR"] || path.resolve(REPO_ROOT, "../shared/models");
}

/** Where downloaded models are kept: $SEIG_CACHE_DIR/models, else $XDG_CACHE_HOME/seig/models, else ~/.cache/seig/models. */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env["SEIG_CACHE_DIR"]) return path.join(env["SEIG_CACHE_DIR"], "models");
  return path.join(env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache"), "seig", "models");
}

/** True unless downloads are switched off with the Hugging Face convention HF_HUB_OFFLINE=1. */
export function downloadsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["1", "true", "yes"].includes((env["HF_HUB_OFFLINE"] ?? "").toLowerCase());
}
