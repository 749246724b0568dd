/**
 * What a `seig bench run` output folder was run with (`bench-run.json`). Rerunning into the
 * same folder resumes it, which is only honest with the same options: with others, the old
 * scenes' results would be labelled with the new options. So a folder run with other options
 * is refused (or, with --force, emptied first), and so is a non-empty folder that holds no
 * bench run.
 */
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { writeJsonAtomic } from "../run/atomic.ts";
import { emptyRunFolder } from "../run/folder-guard.ts";

export const MANIFEST_FILE = "bench-run.json";

/** The options that decide a bench run's results (not how fast it runs: --concurrency). */
export const BenchRunManifest = z.object({
  benchDir: z.string(),
  method: z.string(),
  model: z.string().nullable(),
  stages: z.string().nullable(),
  budget: z.string().nullable(),
  oneShot: z.boolean(),
  tune: z.boolean().nullable(),
  seed: z.number().int(),
  semantic: z.boolean(),
});
export type BenchRunManifest = z.infer<typeof BenchRunManifest>;

const OPTION_NAMES: Record<keyof BenchRunManifest, string> = {
  benchDir: "<dir>",
  method: "--method",
  model: "--model",
  stages: "--stages",
  budget: "--budget",
  oneShot: "--one-shot",
  tune: "--tune",
  seed: "--seed",
  semantic: "--semantic",
};

function show(v: unknown): string {
  return v === null ? "(default)" : String(v);
}

async function readManifest(file: string): Promise<BenchRunManifest | "unreadable" | null> {
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  try {
    const parsed = BenchRunManifest.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** What a bench run will do with its output folder, decided before anything is written. */
export interface BenchOutputClaim {
  /** Writes the manifest (emptying a replaced run first), once the run is about to start. */
  commit: () => Promise<void>;
}

/**
 * Whether `outDir` may hold this bench run: new or empty folders get the manifest; a folder
 * with the same manifest is resumed; anything else is refused with one line, or replaced with
 * `force`. Nothing is written until `commit`, so bad input found later leaves no trace.
 */
export async function checkBenchOutput(
  outDir: string,
  manifest: BenchRunManifest,
  force: boolean,
): Promise<BenchOutputClaim> {
  const names = (await stat(outDir).catch(() => null)) ? await readdir(outDir) : [];
  const file = path.join(outDir, MANIFEST_FILE);
  const write = async (replace: boolean) => {
    if (replace) await emptyRunFolder(outDir);
    await mkdir(outDir, { recursive: true });
    await writeJsonAtomic(file, manifest);
  };
  if (names.length === 0) return { commit: () => write(false) };
  const previous = await readManifest(file);
  if (previous === null && !names.includes("scenes") && !names.includes("results.json")) {
    throw new InputError(
      `-o ${outDir} is a non-empty folder that holds no bench run; choose a new or empty folder (--force replaces only bench runs)`,
    );
  }
  const differs =
    previous === null || previous === "unreadable"
      ? "its options are not recorded"
      : (Object.keys(OPTION_NAMES) as (keyof BenchRunManifest)[])
          .filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(manifest[k]))
          .map((k) => `${OPTION_NAMES[k]} ${show(previous[k])} there, ${show(manifest[k])} now`)
          .join("; ");
  if (!differs) return { commit: async () => {} };
  if (!force) {
    throw new InputError(
      `-o ${outDir} holds a bench run with other options (${differs}); rerun with its options to resume it, or use --force to replace it`,
    );
  }
  return { commit: () => write(true) };
}
