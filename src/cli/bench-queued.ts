/** `seig bench run <dir> --queue <url>`: the same run, its scenes done by `seig worker`s. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { listScenes } from "../bench/scenes.ts";
import { runBenchOnQueue } from "../queue/bench-queue.ts";
import type { JobProgress } from "../queue/job-data.ts";
import { finishBench } from "./bench-finish.ts";
import { parseStageList } from "./options.ts";
import { deliveryFrom, openSubmitQueue, POLL_MS, type SubmitOptions } from "./queue-options.ts";

/** `bench run`'s options as its zod schema reads them. */
export interface BenchRunCliOptions {
  method: string;
  out: string;
  seed: number;
  stages?: string;
  budget?: string;
  oneShot?: boolean;
  tune?: boolean;
  concurrency?: number;
  semantic: boolean;
}

/** The serialisable method options a job carries (the model's key is not among them). */
function methodOptions(o: BenchRunCliOptions) {
  const stages = o.stages === undefined ? undefined : parseStageList(o.stages);
  return {
    seed: o.seed,
    ...(stages ? { stages } : {}),
    ...(o.budget ? { budget: o.budget } : {}),
    ...(o.oneShot || o.method === "one-shot" ? { oneShot: true } : {}),
    ...(o.tune !== undefined ? { tune: o.tune } : {}),
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
  };
}

/** "clevr_001 geometry 40% @w1, clevr_002 scaffold @w2": what every worker is doing now. */
function runningText(running: ReadonlyMap<string, JobProgress>, names: ReadonlyMap<string, string>): string {
  return [...running]
    .map(([id, p]) => {
      const part = p.fraction === null ? (p.stage ?? p.text) : `${p.stage} ${Math.round(p.fraction * 100)}%`;
      return `${names.get(id) ?? id} ${part} @${p.worker}`;
    })
    .join(", ");
}

/** `methodName` is what the job names: a registered method or a model spec. */
export async function runBenchQueued(
  dir: string,
  o: BenchRunCliOptions,
  methodName: string,
  submit: SubmitOptions & { queue: string },
): Promise<void> {
  const delivery = await deliveryFrom(submit);
  const scenes = await listScenes(dir);
  const outDir = path.resolve(o.out);
  await mkdir(outDir, { recursive: true });
  const client = await openSubmitQueue(submit.queue);
  const bar = new SingleBar({
    format: `bench ${o.method} via ${client.url.shown} [{bar}] {value}/{total} scenes | {running}`,
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  bar.start(scenes.length, 0, { running: "" });
  const failures: string[] = [];
  try {
    const scores = await runBenchOnQueue(client, scenes, {
      outDir,
      suite: path.basename(path.resolve(dir)),
      method: methodName,
      methodOptions: methodOptions(o),
      semantic: o.semantic,
      delivery,
      byPath: submit.byPath ?? false,
      pollMs: POLL_MS,
      unreachableMs: submit.redisTimeout * 1000,
      onSceneDone: (score) => {
        if (score.error) failures.push(`${score.scene}: ${score.error}`);
        bar.increment();
      },
      onProgress: (running, names) => bar.update({ running: runningText(running, names) }),
    });
    bar.stop();
    await finishBench(outDir, dir, scores, failures, o);
  } finally {
    bar.stop();
    await client.close();
  }
}
