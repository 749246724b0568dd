/** `seig reconstruct <photo> --queue <url>`: one job for a `seig worker`, waited for, unpacked into --out. */
import type { Command } from "commander";
import { z } from "zod";
import { ReconstructSettings } from "../api/reconstruct.ts";
import { InputError } from "../errors.ts";
import { SceneKindChoice } from "../program/scene-kind.ts";
import { reconstructOnQueue } from "../queue/photo-queue.ts";
import { parseOptions, parseStageList } from "./options.ts";
import { deliveryFrom, openSubmitQueue, POLL_MS, type SubmitOptions } from "./queue-options.ts";

const Options = z.object({
  out: z.string().min(1),
  model: z.string().optional(),
  verifierModel: z.string().optional(),
  budget: z.string().optional(),
  res: z.coerce.number().int().min(24).max(1024).optional(),
  seed: z.coerce.number().int().min(0).default(0),
  stages: z.string().optional(),
  concurrency: z.coerce.number().int().min(1).max(64).optional(),
  semantic: z.boolean().default(true),
  sceneKind: SceneKindChoice.default("auto"),
  quiet: z.boolean().default(false),
});

export async function runReconstructQueued(
  image: string | undefined,
  raw: Record<string, unknown>,
  submit: SubmitOptions & { queue: string },
  command?: Command,
): Promise<void> {
  if (!image)
    throw new InputError("give the photo to reconstruct: seig reconstruct <image> -o <dir> --queue <url>");
  const o = parseOptions(Options, raw, command);
  const { outDir: _, ...settings } = ReconstructSettings.parse({
    outDir: o.out,
    ...(o.model ? { model: o.model } : {}),
    ...(o.verifierModel ? { verifierModel: o.verifierModel } : {}),
    ...(o.budget ? { budget: o.budget } : {}),
    ...(o.res ? { workingSide: o.res } : {}),
    seed: o.seed,
    ...(o.stages ? { stages: parseStageList(o.stages) } : {}),
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    semanticMetrics: o.semantic,
    sceneKind: o.sceneKind,
  });
  const delivery = await deliveryFrom(submit);
  const client = await openSubmitQueue(submit.queue);
  let last = "";
  try {
    const dir = await reconstructOnQueue(client, {
      image,
      outDir: o.out,
      settings,
      delivery,
      byPath: submit.byPath ?? false,
      pollMs: POLL_MS,
      unreachableMs: submit.redisTimeout * 1000,
      onProgress: (p) => {
        const line = p
          ? `${p.stage ?? p.text}${p.fraction === null ? "" : ` ${Math.round(p.fraction * 100)}%`} on ${p.worker}`
          : "";
        if (!o.quiet && line && line !== last) process.stderr.write(`seig: ${line}\n`);
        last = line;
      },
    });
    console.log(dir);
  } finally {
    await client.close();
  }
}
