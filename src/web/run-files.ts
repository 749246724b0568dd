/**
 * Files under the runs folder, and nothing else: every path is resolved with realpath (so a
 * symlink inside a run cannot point out of it) and must stay inside the run's own folder.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { HttpError } from "./http-error.ts";
import { RunId } from "./wire.ts";

export function runDir(runsDir: string, id: string): string {
  if (!RunId.safeParse(id).success) throw new HttpError(400, `not a run id: ${JSON.stringify(id)}`);
  return path.join(runsDir, id);
}

/** The real path of `rel` inside run `id`; 404 when missing, 403 when it leads outside. */
export async function fileInRun(runsDir: string, id: string, rel: string): Promise<string> {
  return fileInside(runDir(runsDir, id), rel, `run ${id}`);
}

/** The real path of `rel` inside folder `dir` (named `what` in errors), never outside it. */
export async function fileInside(dir: string, rel: string, what: string): Promise<string> {
  const root = await realpath(dir).catch(() => {
    throw new HttpError(404, `no ${what}`);
  });
  const wanted = path.resolve(root, rel);
  const real = await realpath(wanted).catch(() => {
    throw new HttpError(404, `no file ${rel} in ${what}`);
  });
  if (real !== root && !real.startsWith(root + path.sep))
    throw new HttpError(403, `${rel} is outside ${what}`);
  if (!(await stat(real)).isFile()) throw new HttpError(404, `${rel} is not a file`);
  return real;
}

/** The URL the front end fetches a run file from. */
export function fileUrl(id: string, rel: string, version?: number): string {
  const parts = rel.split(path.sep).map(encodeURIComponent).join("/");
  return `/files/${encodeURIComponent(id)}/${parts}${version ? `?v=${Math.round(version)}` : ""}`;
}

const TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".json": "application/json",
  ".jsonl": "application/x-ndjson",
  ".py": "text/x-python; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".glb": "model/gltf-binary",
  ".blend": "application/x-blender",
  ".svg": "image/svg+xml",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".zip": "application/zip",
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}
