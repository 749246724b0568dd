/**
 * Renders candidate programs through the Blender pool at a working resolution and scores
 * them against the target with the reconstruction loss. Candidates of one batch run in
 * parallel on the pool's workers. A candidate that fails to build or render scores +∞, so
 * the search simply moves away from it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
import type { JobReply } from "../blender/protocol.ts";
import { decodeBmp } from "../image/bmp.ts";
import { loadImage } from "../image/load.ts";
import type { RgbImage } from "../image/types.ts";
import type { Params } from "../program/parse.ts";
import { lossAgainst } from "./loss.ts";

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
  /**
   * One job per candidate (the path before batching), for comparing the two: by default
   * candidates sharing a program go to the workers as batches (BlenderPool.runBatch), which
   * give the same pixels. SEIG_SEARCH_FULL_PATH=1 sets it too.
   */
  fullPath?: boolean;
  /** Told about every render, with the time Node spent decoding and scoring it (npm run bench:search). */
  onScored?: (reply: JobReply, seconds: { decode: number; loss: number }) => void;
}

export class RenderEvaluator {
  private count: number;
  /** The loss against each level's target, its statistics computed once per target. */
  private readonly losses = new WeakMap<RgbImage, (render: RgbImage) => number>();

  constructor(
    private readonly pool: BlenderPool,
    private readonly scratchDir: string,
    private readonly seed: number,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.count = options.startCount ?? 0;
  }

  private get fullPath(): boolean {
    return this.options.fullPath ?? process.env["SEIG_SEARCH_FULL_PATH"] === "1";
  }

  get renders(): number {
    return this.count;
  }

  /** Scores come back in the candidates' order, whichever worker finishes first. */
  async score(candidates: readonly Candidate[], level: RenderLevel): Promise<Scored[]> {
    this.options.beforeBatch?.();
    // Output folders are numbered in the candidates' order, as the render count runs.
    const outDirs = candidates.map(() => path.join(this.scratchDir, `r${++this.count}`));
    const chunks = this.fullPath
      ? candidates.map((_, i) => [i])
      : batchesOf(candidates, Math.max(1, this.pool.size));
    const scored: Scored[] = new Array(candidates.length);
    await Promise.all(
      chunks.map(async (chunk) => {
        // A batch hands each candidate over as soon as it is rendered: scoring it then overlaps
        // with the next render. The batch's final replies decide; an early score counts only
        // for the very reply it was computed from.
        const early = new Map<JobReply, Promise<Scored>>();
        const onResult = (_k: number, reply: JobReply) => {
          const score = this.scoreReply(reply, level);
          // Its failure surfaces where it is awaited below (or nowhere, if it is not used).
          score.catch(() => {});
          early.set(reply, score);
        };
        const replies = await this.render(chunk, candidates, outDirs, level, onResult);
        for (const [k, c] of chunk.entries())
          scored[c] = await (early.get(replies[k]!) ?? this.scoreReply(replies[k]!, level));
      }),
    );
    return scored;
  }

  /** Renders candidates of one program: the full path (one job each) or one batch job. */
  private async render(
    chunk: number[],
    candidates: readonly Candidate[],
    outDirs: string[],
    level: RenderLevel,
    onResult: (index: number, reply: JobReply) => void,
  ): Promise<JobReply[]> {
    const render = {
      width: level.target.width,
      height: level.target.height,
      samples: level.samples,
      seed: this.seed,
    };
    const first = candidates[chunk[0]!]!;
    if (this.fullPath) {
      const job = { body: first.body, params: first.params, outDir: outDirs[chunk[0]!], render };
      return [await this.pool.run({ ...job, fingerprint: false })];
    }
    // Even one candidate goes as a batch: it then comes back as raw pixels too.
    return this.pool.runBatch({
      body: first.body,
      paramSets: chunk.map((c) => candidates[c]!.params),
      outDirs: chunk.map((c) => outDirs[c]!),
      render,
      // Raw pixels: the same 8-bit pixels as PNG, without deflate in Blender and inflate here.
      imageFormat: "BMP",
      onResult,
    });
  }

  private lossFor(target: RgbImage): (render: RgbImage) => number {
    let loss = this.losses.get(target);
    if (!loss) {
      loss = lossAgainst(target);
      this.losses.set(target, loss);
    }
    return loss;
  }

  private async scoreReply(reply: JobReply, level: RenderLevel): Promise<Scored> {
    const image = reply.images[0]?.path;
    if (!reply.ok || !image)
      return { loss: Number.POSITIVE_INFINITY, image: null, error: reply.error?.message ?? "no image" };
    const started = performance.now();
    const rendered = await loadRender(image);
    const decoded = performance.now();
    const loss = this.lossFor(level.target)(rendered);
    this.options.onScored?.(reply, {
      decode: (decoded - started) / 1000,
      loss: (performance.now() - decoded) / 1000,
    });
    return { loss, image, error: null };
  }
}

/** The most PARAMS sets one batch job carries (protocol.ts: JobRequest.paramSets). */
const MAX_BATCH = 256;

/**
 * Candidates grouped by program (a batch holds one program), each group split into at most
 * `workers` runs of consecutive candidates so every worker gets a share of a generation.
 */
export function batchesOf(candidates: readonly Candidate[], workers: number): number[][] {
  const groups = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    const group = groups.get(c.body) ?? [];
    group.push(i);
    groups.set(c.body, group);
  });
  const chunks: number[][] = [];
  for (const group of groups.values()) {
    // No more batches than candidates, no fewer than a batch job may carry (MAX_BATCH sets).
    const parts = Math.min(Math.max(workers, Math.ceil(group.length / MAX_BATCH)), group.length);
    for (let p = 0; p < parts; p++) {
      const from = Math.round((p * group.length) / parts);
      chunks.push(group.slice(from, Math.round(((p + 1) * group.length) / parts)));
    }
  }
  return chunks;
}

/** A search render's pixels, whichever format the pool handed back (BMP: no inflate, no thread pool). */
export async function loadRender(file: string): Promise<RgbImage> {
  if (file.endsWith(".bmp")) return decodeBmp(await readFile(file), file);
  return loadImage(file, { maxSide: 0 });
}
