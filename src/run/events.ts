/**
 * The progress events of a reconstruction, as data: what the offline method and the agent emit,
 * what `--progress json` prints one per line, and what the library API, the web app and the MCP
 * server pass on. A reader of a saved stream validates each line with this schema.
 */
import { z } from "zod";
import { FlatComparison } from "./flat-baseline.ts";

export const PROGRESS_EVENTS = [
  z.object({
    type: z.literal("run-start"),
    method: z.string(),
    image: z.string(),
    outDir: z.string(),
    stages: z.array(z.string()),
  }),
  z.object({ type: z.literal("stage-start"), stage: z.string(), index: z.number(), total: z.number() }),
  z.object({
    type: z.literal("iteration"),
    stage: z.string(),
    iteration: z.number(),
    bestLoss: z.number(),
    renders: z.number(),
    elapsedSeconds: z.number(),
    etaSeconds: z.number().nullable(),
    fraction: z.number(),
    /** Model runs: tokens (in + out) and cost in USD so far (null when the price is unknown). */
    tokens: z.number().optional(),
    costUsd: z.number().nullable().optional(),
  }),
  /**
   * The search found a better program: its render (a PNG inside the run folder), sent at most
   * about once a second so a page can show the run improving between stage ends.
   */
  z.object({ type: z.literal("best"), stage: z.string(), loss: z.number(), image: z.string() }),
  z.object({
    type: z.literal("stage-end"),
    stage: z.string(),
    bestLoss: z.number(),
    renders: z.number(),
    seconds: z.number(),
  }),
  z.object({ type: z.literal("note"), text: z.string() }),
  z.object({
    type: z.literal("run-end"),
    outDir: z.string(),
    seconds: z.number(),
    renders: z.number(),
    psnr: z.number().nullable(),
    /** The result against the flat image of the target's mean colour, with a warning when it barely beats it. */
    flat: FlatComparison.optional(),
  }),
] as const;

export const ProgressEvent = z.discriminatedUnion("type", [...PROGRESS_EVENTS]);
export type ProgressEvent = z.infer<typeof ProgressEvent>;
