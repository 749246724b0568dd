/**
 * Rendering a scene program into a folder: its own camera, plus optional orbit views
 * around the scene's centre at the program camera's distance and field of view.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { orbitViewRequests } from "../blender/orbit.ts";
import type { BlenderPool } from "../blender/pool.ts";
import type { JobReply, ViewRequest } from "../blender/protocol.ts";
import { SeigError } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import { parseProgram } from "../program/parse.ts";

export interface RenderRequest {
  source: string;
  outDir: string;
  width: number;
  height: number;
  samples?: number;
  seed?: number;
  /** Number of orbit views besides the program's own camera (0: none). */
  orbit?: number;
  elevationDeg?: number;
  /** Leave out the program camera's own view (orbit only). */
  orbitOnly?: boolean;
}

export interface RenderedViews {
  images: { name: string; path: string }[];
  reply: JobReply;
}

/** Builds once to find the camera and the scene's centre, then renders all views in one job. */
export async function renderViews(pool: BlenderPool, request: RenderRequest): Promise<RenderedViews> {
  parseProgram(request.source);
  const body = programBody(request.source);
  const views: ViewRequest[] = request.orbitOnly ? [] : [{ name: "render" }];
  if (request.orbit) views.push(...(await orbitViews(pool, body, request.orbit, request.elevationDeg)));
  const reply = await pool.run({
    body,
    render: {
      width: request.width,
      height: request.height,
      samples: request.samples,
      seed: request.seed,
      views,
    },
  });
  if (!reply.ok) throw new SeigError(`the program failed: ${reply.error?.message}`);
  await mkdir(request.outDir, { recursive: true });
  const images = await Promise.all(
    reply.images.map(async (image) => {
      const target = path.join(request.outDir, `${image.name}.png`);
      await copyFile(image.path, target);
      return { name: image.name, path: target };
    }),
  );
  return { images, reply };
}

async function orbitViews(
  pool: BlenderPool,
  body: string,
  count: number,
  elevationDeg?: number,
): Promise<ViewRequest[]> {
  const built = await pool.run({ body });
  if (!built.ok) throw new SeigError(`the program failed: ${built.error?.message}`);
  const views = orbitViewRequests(built, count, { elevationDeg });
  if (!views) throw new SeigError("the program sets no scene camera, so there is no orbit distance to keep");
  return views;
}
