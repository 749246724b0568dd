import path from "node:path";
import { oneLine, SeigError } from "../errors.ts";
import { pathExists } from "../path-exists.ts";

/**
 * Decides where a Hugging Face model will be loaded from, before anything heavy is attempted:
 * a local copy in the models folder or the download cache, else (when allowed) the hub — but only
 * after a quick reachability check, so an offline machine reports "unavailable" in seconds.
 */
export interface LocateOptions {
  modelsDir: string;
  cacheDir: string;
  allowDownload: boolean;
  /** Hub to download from, e.g. https://huggingface.co/ */
  remoteHost: string;
  /** How long the reachability check may take. Default 5000 ms. */
  probeTimeoutMs?: number;
}

export type ModelLocation = { kind: "local"; root: string } | { kind: "download"; cacheDir: string };

export async function locateModel(
  modelId: string,
  label: string,
  opts: LocateOptions,
): Promise<ModelLocation> {
  const roots = [opts.modelsDir, opts.cacheDir];
  for (const root of roots) {
    if (await pathExists(path.join(root, modelId, "config.json"))) return { kind: "local", root };
  }
  const searched = roots.map((r) => path.join(r, modelId)).join(" or ");
  if (!opts.allowDownload) {
    throw new SeigError(
      `${label} (${modelId}) not found in ${searched} and downloads are off (HF_HUB_OFFLINE) — copy the model into $SEIG_MODELS_DIR.`,
    );
  }
  try {
    await fetch(opts.remoteHost, {
      method: "HEAD",
      signal: AbortSignal.timeout(opts.probeTimeoutMs ?? 5000),
    });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${oneLine(e.cause)}` : "";
    throw new SeigError(
      `${label} (${modelId}) not found in ${searched} and ${opts.remoteHost} is unreachable (${oneLine(e)}${cause}) — copy the model into $SEIG_MODELS_DIR.`,
    );
  }
  return { kind: "download", cacheDir: opts.cacheDir };
}
