/**
 * The Blender side of the 3D errors: a reconstruction built once for its scene stats and its
 * object mask, and the truth program's mask, cached in the scene's result folder (keyed by the
 * program's text and the size) so rescoring a scene renders only the reconstruction.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { type ObjectMask, readMask } from "../blender/mask.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { MASK_FILE, MaskLegend } from "../blender/protocol.ts";
import { pathExists } from "../path-exists.ts";
import { programBody } from "../program/assemble.ts";
import { PROGRAM } from "./generate.ts";
import { type MeasuredScene, measuredFromStats } from "./measured-scene.ts";

export interface MaskSize {
  width: number;
  height: number;
}

/** The truth mask's cache folder inside a scene's result folder. */
export const TRUTH_MASK_DIR = "truth-mask";
const LEGEND_FILE = "legend.json";
/** Bump when masks.py changes what a mask holds, so cached truth masks are rendered again. */
const MASK_FORMAT = 1;

const CachedLegend = z.object({ key: z.string(), legend: MaskLegend });
type CachedLegend = z.infer<typeof CachedLegend>;

/** Builds a program (with a mask when `size` is given); throws when it fails. */
async function build(
  pool: BlenderPool,
  programFile: string,
  size: MaskSize | null,
  options: { outDir?: string; fingerprint?: boolean } = {},
) {
  const source = await readFile(programFile, "utf8");
  const reply = await pool.run({
    body: programBody(source),
    ...options,
    ...(size ? { mask: size } : {}),
  });
  if (!reply.ok) {
    throw new Error(`${programFile} failed to build (${reply.error?.kind}): ${reply.error?.message}`);
  }
  return reply;
}

/** Reads a mask the pool wrote into its own folder for the job, and removes that folder. */
async function takeMask(mask: { path: string; legend: MaskLegend }, size: MaskSize): Promise<ObjectMask> {
  try {
    return await readMask(mask, size);
  } finally {
    await rm(path.dirname(mask.path), { recursive: true, force: true });
  }
}

async function cachedLegend(file: string): Promise<CachedLegend | null> {
  try {
    const parsed = CachedLegend.safeParse(JSON.parse(await readFile(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A program's active camera, things and (with `size`) object mask, from one build. */
export async function measureProgram(
  pool: BlenderPool,
  programFile: string,
  size: MaskSize | null,
): Promise<{ scene: MeasuredScene; mask: ObjectMask | null }> {
  const reply = await build(pool, programFile, size);
  const cameraName = reply.fingerprint?.composition["scene.camera"] ?? "none";
  const scene = measuredFromStats(reply.objects, cameraName);
  if (!scene) throw new Error(`${programFile} sets no active camera (scene.camera is ${cameraName})`);
  return { scene, mask: reply.mask && size ? await takeMask(reply.mask, size) : null };
}

/**
 * The mask of the truth program (program.py beside truth.json); null when there is none.
 * With `cacheDir` it is kept there and reused while the program and size are the same.
 */
export async function truthMask(
  pool: BlenderPool,
  truthFile: string,
  size: MaskSize,
  cacheDir?: string,
): Promise<ObjectMask | null> {
  const programFile = path.join(path.dirname(truthFile), PROGRAM);
  if (!(await pathExists(programFile))) return null;
  const text = await readFile(programFile, "utf8");
  const key = createHash("sha256")
    .update(`${MASK_FORMAT}\n${size.width}x${size.height}\n${text}`)
    .digest("hex");
  // The truth's stats are in truth.json already: only its mask is needed.
  if (!cacheDir) return takeMask((await build(pool, programFile, size, { fingerprint: false })).mask!, size);
  const dir = path.join(cacheDir, TRUTH_MASK_DIR);
  const legendFile = path.join(dir, LEGEND_FILE);
  const cached = await cachedLegend(legendFile);
  if (cached?.key === key && (await pathExists(path.join(dir, MASK_FILE)))) {
    return readMask({ path: path.join(dir, MASK_FILE), legend: cached.legend }, size);
  }
  await mkdir(dir, { recursive: true });
  const mask = (await build(pool, programFile, size, { outDir: dir, fingerprint: false })).mask!;
  await writeFile(legendFile, `${JSON.stringify({ key, legend: mask.legend })}\n`);
  return readMask(mask, size);
}
