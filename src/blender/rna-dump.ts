/**
 * The running Blender's Python API (operators and their arguments, node types and their sockets,
 * property names, enum items), dumped once per Blender version by a trusted job through the worker
 * pool (so it runs in the same sandboxed Blender as generated programs) and cached on disk. It is
 * what the static pre-flight checks generated programs against; generated code never runs for it.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SeigError } from "../errors.ts";
import type { BlenderPool } from "./pool.ts";

export const BlenderApi = z.object({
  version: z.string(),
  types: z.array(z.string()),
  operators: z.record(z.string(), z.array(z.string())),
  shaderNodes: z.record(z.string(), z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()) })),
  properties: z.array(z.string()),
  enums: z.record(z.string(), z.array(z.string())),
});
export type BlenderApi = z.infer<typeof BlenderApi>;

const DUMP_SCRIPT = fileURLToPath(new URL("./python/rna_dump.py", import.meta.url));
const memory = new Map<string, Promise<BlenderApi>>();

function cacheFile(version: string): string {
  const root = process.env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(root, "seig", `blender-api-v1-${version.replace(/[^\w.-]/g, "_")}.json`);
}

async function fromDisk(file: string): Promise<BlenderApi | null> {
  try {
    const parsed = BlenderApi.safeParse(JSON.parse(await readFile(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function dump(pool: BlenderPool): Promise<BlenderApi> {
  const outDir = path.join(pool.workDir, `blender-api-${process.pid}-${Date.now()}`);
  const script = await readFile(DUMP_SCRIPT, "utf8");
  // Our own script, not a generated one: it needs introspection the program screen forbids.
  // It writes into its (sandboxed) job folder; the pool copies the file out.
  const reply = await pool.run(
    { body: script, outDir, skipScreen: true, collect: ["blender-api.json"] },
    { timeoutMs: 120_000 },
  );
  const out = path.join(outDir, "blender-api.json");
  if (!reply.ok)
    throw new SeigError(`could not read Blender's API for the pre-flight check: ${reply.error?.message}`);
  const parsed = BlenderApi.safeParse(JSON.parse(await readFile(out, "utf8")));
  if (!parsed.success) throw new SeigError("Blender's API dump has an unexpected shape: update seig");
  return parsed.data;
}

/** The API of the pool's Blender: from memory, the disk cache, or one trusted dump job. */
export function blenderApi(pool: BlenderPool): Promise<BlenderApi> {
  const version = pool.blenderVersion;
  let api = memory.get(version);
  if (!api) {
    api = (async () => {
      const file = cacheFile(version);
      const cached = await fromDisk(file);
      if (cached) return cached;
      const fresh = await dump(pool);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(fresh)).catch(() => undefined);
      return fresh;
    })();
    api.catch(() => memory.delete(version));
    memory.set(version, api);
  }
  return api;
}
