/**
 * Renders candidate programs through the Blender pool at a working resolution and scores
 * them against the target with the reconstruction loss. Candidates of one batch run in
 * parallel, one per pool worker. A candidate that fails to build or render scores +∞, so
 * the search simply moves away from it.
 */
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
import { RunInterrupted } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import type { RgbImage } from "../image/types.ts";
import type { Params } from "../program/parse.ts";
import { reconstructionLoss } from "./loss.ts";

export interface RenderLevel {
  name: string;
  target: RgbImage;
  samples: number;
}

export interface Candidate {
  body: string;
  params: Params;
}

export interface Scored {
  loss: number;
  /** Path of the rendered PNG, when the render succeeded. */
  image: string | null;
  error: string | null;
}

export class RenderEvaluator {
  private count = 0;

  constructor(
    private readonly pool: BlenderPool,
    private readonly scratchDir: string,
    private readonly seed: number,
    /** Stops the search at its next render (the library API's cancel). */
    private readonly signal?: AbortSignal,
  ) {}

  /** Candidates worth sending at once: one per worker. */
  get concurrency(): number {
    return this.pool.size;
  }

  get renders(): number {
    return this.count;
  }

  async score(candidates: readonly Candidate[], level: RenderLevel): Promise<Scored[]> {
    return Promise.all(candidates.map((c) => this.scoreOne(c, level)));
  }

  private async scoreOne(candidate: Candidate, level: RenderLevel): Promise<Scored> {
    if (this.signal?.aborted) throw new RunInterrupted("the reconstruction was cancelled");
    const outDir = path.join(this.scratchDir, `r${++this.count}`);
    const reply = await this.pool.run({
      body: candidate.body,
      params: candidate.params,
      outDir,
      render: {
        width: level.target.width,
        height: level.target.height,
        samples: level.samples,
        seed: this.seed,
      },
    });
    const image = reply.images[0]?.path;
    if (!reply.ok || !image)
      return { loss: Number.POSITIVE_INFINITY, image: null, error: reply.error?.message ?? "no image" };
    const rendered = await loadImage(image, { maxSide: 0 });
    return { loss: reconstructionLoss(level.target, rendered), image, error: null };
  }
}
