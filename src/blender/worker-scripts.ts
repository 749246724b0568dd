/**
 * The Blender-side scripts (python/), staged per pool into a folder of their own that the
 * sandbox mounts read-only at /seig. Staging (rather than mounting the checkout) keeps the
 * project folder out of the sandbox and works when seig's checkout is not readable by the
 * unprivileged uid the workers run as.
 */
import { chmod, copyFile, mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const WORKER_SCRIPT_DIR = fileURLToPath(new URL("./python/", import.meta.url));

/** A fresh world-readable folder holding the worker's Python files; the caller removes it. */
export async function stageWorkerScripts(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "seig-scripts-"));
  await chmod(dir, 0o755);
  for (const name of await readdir(WORKER_SCRIPT_DIR)) {
    if (!name.endsWith(".py")) continue;
    await copyFile(path.join(WORKER_SCRIPT_DIR, name), path.join(dir, name));
    await chmod(path.join(dir, name), 0o644);
  }
  return dir;
}
