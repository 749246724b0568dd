/**
 * A few views around the final scene for the report (and the web app): the photo shows one
 * side, these show whether the scene holds up from the others. Modest size, one job for all
 * views, saved as views/orbit_00.png … in the run folder.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { orbitViewRequests } from "../blender/orbit.ts";
import type { BlenderPool } from "../blender/pool.ts";
import type { JobReply } from "../blender/protocol.ts";
import { oneLine } from "../errors.ts";
import { programBody } from "../program/assemble.ts";

export const ORBIT_VIEWS = 4;
/** Longer side of an orbit view in pixels (never more than the photo's). */
export const ORBIT_SIDE = 256;
/** Samples of an orbit view at most: they are for looking, never scored, so noise costs nothing. */
export const ORBIT_SAMPLES = 16;

/** run.json `orbitViews`. */
export const OrbitViews = z.object({
  /** views/orbit_NN.png, relative to the run folder, in azimuth order away from the photo's camera. */
  images: z.array(z.string()),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Why there are none, when there are none. */
  unavailable: z.string().nullable(),
});
export type OrbitViews = z.infer<typeof OrbitViews>;

export interface OrbitInput {
  pool: BlenderPool;
  dir: string;
  /** The final program as rendered, and the final render's reply (its objects and camera). */
  source: string;
  built: JobReply;
  photo: { width: number; height: number };
  samples: number;
  seed: number;
  count?: number;
}

let counter = 0;

export async function renderOrbitViews(input: OrbitInput): Promise<OrbitViews> {
  const scale = Math.min(1, ORBIT_SIDE / Math.max(input.photo.width, input.photo.height));
  const width = Math.max(1, Math.round(input.photo.width * scale));
  const height = Math.max(1, Math.round(input.photo.height * scale));
  const none = (why: string): OrbitViews => ({ images: [], width, height, unavailable: why });
  const views = orbitViewRequests(input.built, input.count ?? ORBIT_VIEWS, { skipOwn: true });
  if (!views) return none("the program sets no scene camera, so there is no orbit distance");
  const reply = await input.pool.run({
    body: programBody(input.source),
    outDir: path.join(input.pool.workDir, `orbit-${path.basename(input.dir)}-${++counter}`),
    fingerprint: false,
    render: { width, height, samples: Math.min(input.samples, ORBIT_SAMPLES), seed: input.seed, views },
  });
  if (!reply.ok) return none(`the orbit render failed: ${oneLine(reply.error?.message ?? "no reply")}`);
  await mkdir(path.join(input.dir, "views"), { recursive: true });
  const images = await Promise.all(
    reply.images.map(async (image) => {
      const relative = path.join("views", `${image.name}.png`);
      await copyFile(image.path, path.join(input.dir, relative));
      return relative;
    }),
  );
  return { images, width, height, unavailable: null };
}
