/**
 * The run folder's layout and writers. Each stage's outputs are written as the stage
 * finishes, so an interrupted run keeps everything done so far.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderPng } from "../image/bmp.ts";

export interface RunFolder {
  dir: string;
  program: string;
  final: string;
  metrics: string;
  run: string;
  report: string;
  stageDir(stage: string): string;
}

export async function createRunFolder(dir: string): Promise<RunFolder> {
  const root = path.resolve(dir);
  await mkdir(path.join(root, "stages"), { recursive: true });
  return {
    dir: root,
    program: path.join(root, "program.py"),
    final: path.join(root, "final.png"),
    metrics: path.join(root, "metrics.json"),
    run: path.join(root, "run.json"),
    report: path.join(root, "report.html"),
    stageDir: (stage) => path.join(root, "stages", stage),
  };
}

/** stages/<stage>/{program.py,best.png}. */
export async function writeStageOutputs(
  folder: RunFolder,
  stage: string,
  source: string,
  bestImage: string | null,
): Promise<void> {
  const dir = folder.stageDir(stage);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "program.py"), source);
  // A search render may be a BMP (python/batch.py): the run folder holds a PNG.
  if (bestImage)
    await writeFile(path.join(dir, "best.png"), await renderPng(await readFile(bestImage), bestImage));
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
