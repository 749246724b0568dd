/**
 * A run folder as a list of files (relative path + base64) that fits in a BullMQ result, and back.
 * Base64 in JSON costs a third more than the bytes, but PNGs do not compress and the result must
 * be plain JSON for BullMQ; the limit is checked on the packed size, the size Redis stores.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import type { PackedFile } from "./job-data.ts";
import { ResultTooLarge } from "./queue-errors.ts";

/** Every file under `root`, as paths relative to it with "/" separators, in a stable order. */
export async function listFiles(root: string, under = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, under), { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...(await listFiles(root, rel)));
    else if (e.isFile()) files.push(rel);
  }
  return files;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 1)} MB`;
}

/** Packs every file under `dir`; throws ResultTooLarge, naming both sizes, above `maxBytes`. */
export async function packFolder(
  dir: string,
  maxBytes: number,
  label: string,
): Promise<{ files: PackedFile[]; bytes: number }> {
  const files: PackedFile[] = [];
  let bytes = 0;
  for (const rel of await listFiles(dir)) {
    const base64 = (await readFile(path.join(dir, rel))).toString("base64");
    bytes += base64.length + rel.length;
    files.push({ path: rel, base64 });
  }
  if (bytes > maxBytes) {
    throw new ResultTooLarge(
      `the run folder of ${label} packs to ${megabytes(bytes)}, over the ${megabytes(maxBytes)} limit — raise --max-result-mb or give submitter and workers a shared --results folder`,
    );
  }
  return { files, bytes };
}

/** Writes packed files under `dir`, refusing any path that would land outside it. */
export async function unpackFolder(dir: string, files: readonly PackedFile[]): Promise<void> {
  for (const file of files) await writeInside(dir, file.path, Buffer.from(file.base64, "base64"));
}

/** Writes `bytes` at `rel` under `dir`; a result's path that would land outside it is refused. */
export async function writeInside(dir: string, rel: string, bytes: Uint8Array): Promise<void> {
  const root = path.resolve(dir);
  const target = path.resolve(root, rel);
  if (!target.startsWith(root + path.sep)) {
    throw new InputError(`a queued result holds the path "${rel}", outside its run folder; refused`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
}
