/**
 * The 3D errors of a scene program against a truth.json: the program is built (not
 * rendered) in the Blender pool and its scene stats are compared in camera space. Shared by
 * `seig bench run` and `seig eval --truth` so both give the same numbers.
 */
import { readFile } from "node:fs/promises";
import type { BlenderPool } from "../blender/pool.ts";
import { programBody } from "../program/assemble.ts";
import { compareScenes, describeMatches, type Errors3d } from "./errors3d.ts";
import { type MeasuredScene, measuredFromStats } from "./measured-scene.ts";
import { COLUMNS, formatValue, markdownTable, type RowValues } from "./table.ts";
import { readTruth, truthScene } from "./truth.ts";

/** A program's active camera and things from its scene stats. */
async function programScene(pool: BlenderPool, programFile: string): Promise<MeasuredScene> {
  const source = await readFile(programFile, "utf8");
  const reply = await pool.run({ body: programBody(source) });
  if (!reply.ok) {
    throw new Error(`${programFile} failed to build (${reply.error?.kind}): ${reply.error?.message}`);
  }
  const cameraName = reply.fingerprint?.composition["scene.camera"] ?? "none";
  const scene = measuredFromStats(reply.objects, cameraName);
  if (!scene) throw new Error(`${programFile} sets no active camera (scene.camera is ${cameraName})`);
  return scene;
}

export async function programErrors3d(
  pool: BlenderPool,
  truthFile: string,
  programFile: string,
): Promise<Errors3d> {
  const truth = truthScene(await readTruth(truthFile));
  return compareScenes(truth, await programScene(pool, programFile));
}

/** The table columns (src/bench/table.ts) the 3D errors fill. */
export function errors3dValues(e: Errors3d): RowValues {
  return {
    countAcc: e.countCorrect ? 1 : 0,
    recall: e.recall,
    positionErr: e.positionError,
    imageErr: e.imageError,
    sizeErr: e.sizeError,
    colorDE: e.colorError,
    materialAcc: e.materialAccuracy,
    shapeAcc: e.shapeAccuracy,
  };
}

function rows(e: Errors3d) {
  const values = errors3dValues(e);
  return COLUMNS.filter((c) => c.key in values).map((c) => ({ column: c, value: values[c.key] ?? null }));
}

/** metric,value,better,note rows (no header), to follow an image-metric CSV. */
export function errors3dCsv(e: Errors3d): string {
  const note = `"${describeMatches(e).replaceAll('"', '""')}"`;
  return `${rows(e)
    .map(({ column, value }) =>
      [column.key, value ?? "", column.better, column.key === "recall" ? note : ""].join(","),
    )
    .join("\n")}\n`;
}

export function errors3dMarkdown(e: Errors3d): string {
  const body = rows(e).map(({ column, value }) => [
    column.label,
    formatValue(value, column.digits),
    column.better,
  ]);
  return `${markdownTable(["3D error (camera space)", "value", "better"], body)}\n${describeMatches(e)}\n`;
}
