/**
 * `seig bench run <suite> --queue`: every scene not already scored locally becomes a job (an
 * idempotent id, so a restarted submitter re-finds its jobs), and each finished job's scene folder
 * lands in `<out>/scenes/<id>/` exactly where a local run writes it, with score.json pointing at
 * local paths — so outputs, `bench summary` and `bench compare` cannot tell the two apart.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROGRAM } from "../bench/generate.ts";
import { FINAL_RENDER } from "../bench/image-score.ts";
import { SCORE_FILE, SceneScore, sceneDir } from "../bench/run.ts";
import type { BenchSceneEntry } from "../bench/scenes.ts";
import { collectJobs } from "./collect.ts";
import type { Delivery, InputFile, JobData, JobProgress, JobResult, SceneMethodOptions } from "./job-data.ts";
import { jobId, sha256 } from "./job-id.ts";
import { type QueueClient, submitJob } from "./queue-client.ts";
import { landFolder } from "./result-folder.ts";

export interface QueueBenchOptions {
  outDir: string;
  suite: string;
  method: string;
  methodOptions: SceneMethodOptions;
  semantic: boolean;
  delivery: Delivery;
  /** Send target paths (shared storage) instead of the targets' bytes. */
  byPath: boolean;
  pollMs: number;
  unreachableMs: number;
  onSceneDone?: (score: SceneScore, resumed: boolean) => void;
  onProgress?: (running: ReadonlyMap<string, JobProgress>, scenes: ReadonlyMap<string, string>) => void;
}

async function localScore(dir: string): Promise<SceneScore | null> {
  const text = await readFile(path.join(dir, SCORE_FILE), "utf8").catch(() => null);
  const parsed = text === null ? null : SceneScore.safeParse(JSON.parse(text));
  return parsed?.success && !parsed.data.error ? parsed.data : null;
}

async function sceneJob(
  scene: BenchSceneEntry,
  o: QueueBenchOptions,
): Promise<{ id: string; data: JobData }> {
  const bytes = await readFile(scene.target);
  const truth = scene.truth === null ? null : await readFile(scene.truth, "utf8");
  const truthProgram =
    scene.truth === null
      ? null
      : await readFile(path.join(path.dirname(scene.truth), PROGRAM), "utf8").catch(() => null);
  const target: InputFile = o.byPath
    ? { kind: "path", path: path.resolve(scene.target) }
    : { kind: "bytes", name: path.basename(scene.target), base64: bytes.toString("base64") };
  const identity = {
    method: o.method,
    options: o.methodOptions,
    semantic: o.semantic,
    target: sha256(bytes),
    truth: truth === null ? null : sha256(truth),
    truthProgram: truthProgram === null ? null : sha256(truthProgram),
  };
  const data: JobData = {
    kind: "scene",
    suite: o.suite,
    scene: scene.id,
    target,
    truth,
    truthProgram,
    method: o.method,
    methodOptions: o.methodOptions,
    semantic: o.semantic,
    delivery: o.delivery,
  };
  return { id: jobId(o.suite, scene.id, identity), data };
}

/** Puts a finished job's scene folder where a local run writes it; returns its score with local paths. */
async function landResult(scene: BenchSceneEntry, result: JobResult, outDir: string): Promise<SceneScore> {
  const dir = sceneDir(outDir, scene.id);
  await rm(dir, { recursive: true, force: true });
  await landFolder(result, dir);
  const score = SceneScore.parse(JSON.parse(await readFile(path.join(dir, SCORE_FILE), "utf8")));
  const local: SceneScore = { ...score, target: scene.target, render: path.join(dir, FINAL_RENDER) };
  await writeFile(path.join(dir, SCORE_FILE), `${JSON.stringify(local, null, 2)}\n`);
  return local;
}

/** The score a local run writes for a failed scene, so a re-run retries it and summaries count it. */
async function failedScore(scene: BenchSceneEntry, reason: string, outDir: string): Promise<SceneScore> {
  const score: SceneScore = {
    scene: scene.id,
    target: scene.target,
    render: null,
    values: {},
    metrics: null,
    errors3d: null,
    stages: [],
    error: reason.replace(new RegExp(`^${scene.id}: `), ""),
  };
  await rm(sceneDir(outDir, scene.id), { recursive: true, force: true });
  await mkdir(sceneDir(outDir, scene.id), { recursive: true });
  await writeFile(path.join(sceneDir(outDir, scene.id), SCORE_FILE), `${JSON.stringify(score, null, 2)}\n`);
  return score;
}

export async function runBenchOnQueue(
  client: QueueClient,
  scenes: readonly BenchSceneEntry[],
  o: QueueBenchOptions,
): Promise<SceneScore[]> {
  const scores = new Map<string, SceneScore>();
  const pending = new Map<string, JobData>();
  const sceneOf = new Map<string, BenchSceneEntry>();
  for (const scene of scenes) {
    const kept = await localScore(sceneDir(o.outDir, scene.id));
    if (kept) {
      scores.set(scene.id, kept);
      o.onSceneDone?.(kept, true);
      continue;
    }
    const { id, data } = await sceneJob(scene, o);
    await submitJob(client, id, data, true);
    pending.set(id, data);
    sceneOf.set(id, scene);
  }
  const done = (score: SceneScore) => {
    scores.set(score.scene, score);
    o.onSceneDone?.(score, false);
  };
  const names = new Map([...sceneOf].map(([id, s]) => [id, s.id]));
  await collectJobs(client, pending, {
    pollMs: o.pollMs,
    unreachableMs: o.unreachableMs,
    onResult: async (id, result) => done(await landResult(sceneOf.get(id)!, result, o.outDir)),
    onFailed: async (id, reason) => done(await failedScore(sceneOf.get(id)!, reason, o.outDir)),
    onProgress: (running) => o.onProgress?.(running, names),
  });
  return scenes.map((s) => scores.get(s.id)!);
}
