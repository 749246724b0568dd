/**
 * Where an edit's results go, next to the edited program: the program, the before and after
 * renders, their side-by-side, and the model calls as `edit-trace.jsonl` (replayable with
 * `--model replay:<dir>/edit-trace.jsonl`; images it names are kept in `trace-images/`).
 */
import { constants } from "node:fs";
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { TRACE_FILE, TRACE_IMAGES_DIR } from "../vlm/trace.ts";

export const EDIT_TRACE_FILE = "edit-trace.jsonl";

export interface EditOutputs {
  program: string;
  before: string;
  after: string;
  comparison: string;
  trace: string;
}

export function editOutputPaths(programFile: string): EditOutputs {
  const { dir, name } = path.parse(path.resolve(programFile));
  return {
    program: path.join(dir, `${name}.py`),
    before: path.join(dir, `${name}.before.png`),
    after: path.join(dir, `${name}.after.png`),
    comparison: path.join(dir, `${name}.comparison.png`),
    trace: path.join(dir, EDIT_TRACE_FILE),
  };
}

export interface EditArtifacts {
  source: string;
  before: string;
  after: string;
  comparison: string;
  /** The folder the trace was recorded in (its trace.jsonl and trace-images/). */
  traceDir: string;
}

/** Copies a finished edit into place; trace images are content-addressed, so existing ones are kept. */
export async function writeEditOutputs(outputs: EditOutputs, artifacts: EditArtifacts): Promise<void> {
  const dir = path.dirname(outputs.program);
  const images = path.join(dir, TRACE_IMAGES_DIR);
  await mkdir(images, { recursive: true });
  const recorded = path.join(artifacts.traceDir, TRACE_IMAGES_DIR);
  for (const name of await readdir(recorded)) {
    await copyFile(path.join(recorded, name), path.join(images, name), constants.COPYFILE_EXCL).catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      },
    );
  }
  await copyFile(path.join(artifacts.traceDir, TRACE_FILE), outputs.trace);
  await copyFile(artifacts.before, outputs.before);
  await copyFile(artifacts.after, outputs.after);
  await copyFile(artifacts.comparison, outputs.comparison);
  await writeFile(outputs.program, artifacts.source, "utf8");
}
