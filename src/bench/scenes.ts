/**
 * The scenes of a benchmark folder: a generated suite (scene folders with target.png and
 * truth.json), any folder of scene folders holding target.png, or a plain folder of
 * images (image metrics only).
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { pathExists } from "../path-exists.ts";
import { TARGET, TRUTH } from "./generate.ts";

export interface BenchSceneEntry {
  id: string;
  target: string;
  /** truth.json when the scene has ground truth. */
  truth: string | null;
}

const IMAGE = /\.(png|jpe?g|webp|tiff?)$/i;

export async function listScenes(dir: string): Promise<BenchSceneEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new InputError(
      `${dir} is not a readable folder — give a folder made by seig bench generate or a folder of images`,
    );
  });
  const scenes: BenchSceneEntry[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && (await pathExists(path.join(full, TARGET)))) {
      const truth = path.join(full, TRUTH);
      scenes.push({
        id: entry.name,
        target: path.join(full, TARGET),
        truth: (await pathExists(truth)) ? truth : null,
      });
    } else if (entry.isFile() && IMAGE.test(entry.name)) {
      scenes.push({ id: entry.name.replace(IMAGE, "").replace(/[^\w.-]/g, "_"), target: full, truth: null });
    }
  }
  if (scenes.length === 0) {
    throw new InputError(
      `${dir} holds no scenes (no */target.png and no images) — generate some with seig bench generate`,
    );
  }
  const ids = new Set<string>();
  for (const s of scenes) {
    if (ids.has(s.id)) throw new InputError(`${dir} has two scenes named ${s.id}; rename one of the images`);
    ids.add(s.id);
  }
  return scenes;
}
