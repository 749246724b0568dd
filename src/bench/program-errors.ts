/**
 * The 3D errors of a scene program against a truth.json: the program is built in the Blender
 * pool and its scene stats are compared in camera space; its object mask and the truth
 * program's, both at the target's size, give the silhouette IoUs (silhouette.ts). Shared by
 * `seig bench run` and `seig eval --truth` so both give the same numbers.
 */
import type { BlenderPool } from "../blender/pool.ts";
import { compareScenes, describeMatches, type Errors3d } from "./errors3d.ts";
import { measureProgram, truthMask } from "./scene-masks.ts";
import { withSilhouettes } from "./silhouette.ts";
import { COLUMNS, formatValue, markdownTable, type RowValues } from "./table.ts";
import { readTruth, truthScene } from "./truth.ts";

/**
 * `cacheDir` keeps the truth program's mask between scorings (a scene's result folder).
 * Without the truth program beside truth.json the silhouette numbers stay null.
 */
export async function programErrors3d(
  pool: BlenderPool,
  truthFile: string,
  programFile: string,
  options: { cacheDir?: string } = {},
): Promise<Errors3d> {
  const truthData = await readTruth(truthFile);
  const truth = truthScene(truthData);
  const size = { width: truthData.width, height: truthData.height };
  const truthLabels = await truthMask(pool, truthFile, size, options.cacheDir);
  const built = await measureProgram(pool, programFile, truthLabels && size);
  const e = compareScenes(truth, built.scene);
  return truthLabels && built.mask ? withSilhouettes(e, truth.things, truthLabels, built.mask) : e;
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
    silIoU: e.silhouetteIoU,
    fgIoU: e.foregroundIoU,
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
