/**
 * Renders candidate programs through the Blender pool at a working resolution and scores
 * them against the target with the reconstruction loss. Candidates of one batch run in
 * parallel on the pool's workers. A candidate that fails to build or render scores +∞, so
 * the search simply moves away from it.
 */
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
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

export interface EvaluatorOptions {
  /** Renders already counted (a resumed run continues its count). */
  startCount?: number;
  /** Checked before every batch: throws (RunInterrupted) to stop the run between batches. */
  beforeBatch?: () => void;
}

export class RenderEvaluator {
  private count: number;

  constructor(
    private readonly pool: BlenderPool,
    private readonly scratchDir: string,
    private readonly seed: number,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.count = options.startCount ?? 0;
  }

  get renders(): number {
    return this.count;
  }

  /** Scores come back in the candidates' order, whichever worker finishes first. */
  async score(candidates: readonly Candidate[], level: RenderLevel): Promise<Scored[]> {
    this.options.beforeBatch?.();
    return Promise.all(candidates.map((c) => this.scoreOne(c, level)));
  }

  private async scoreOne(candidate: Candidate, level: RenderLevel): Promise<Scored> {
    const outDir = path.join(this.scratchDir, `r${++this.count}`);
    const reply = await this.pool.run({
      body: candidate.body,
      params: candidate.params,
      outDir,
      // The search reads only pixels.
      fingerprint: false,
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
