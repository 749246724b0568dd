/**
 * Atomic file writes: the content goes to a temporary file beside the destination, which is
 * then renamed over it. A reader (or a run killed mid-write) sees the old file or the new
 * one, never half of one. Temporary names are unique per process and write, so two writes
 * in flight do not share a temporary file.
 */
import { copyFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

let counter = 0;

function tempName(file: string): string {
  return `${file}.${process.pid}.${++counter}.tmp`;
}

async function replaceWith(file: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = tempName(file);
  try {
    await fill(temp);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  return replaceWith(file, (temp) => writeFile(temp, data));
}

export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function copyFileAtomic(from: string, to: string): Promise<void> {
  return replaceWith(to, (temp) => copyFile(from, temp));
}

/** The shape of tempName's names. */
const TEMP_NAME = /\.\d+\.\d+\.tmp$/;

/**
 * Removes temporary files a killed run left behind (kill -9 between a write and its rename), so
 * a resumed run's folder holds what an uninterrupted one does. Only for a folder no live process
 * writes: the resume paths call it once they have checked the run is not running.
 */
export async function removeAbandonedTemps(dir: string): Promise<void> {
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  await Promise.all(
    files.filter((f) => TEMP_NAME.test(f)).map((f) => rm(path.join(dir, f), { force: true })),
  );
}
