/**
 * An object-index mask (a job's mask.png and legend, python/masks.py) as labels per pixel.
 * The PNG came from the job's own process, so it is checked like any reply: it must have the
 * size that was asked for, and an id its legend does not name reads as background.
 */
import sharp from "sharp";
import type { JobReply } from "./protocol.ts";

export interface ObjectMask {
  width: number;
  height: number;
  /** Row-major, top row first; 0 where no object is. */
  ids: Uint16Array;
  /** Object name per id. */
  names: ReadonlyMap<number, string>;
}

export async function readMask(
  mask: NonNullable<JobReply["mask"]>,
  size: { width: number; height: number },
): Promise<ObjectMask> {
  const { data, info } = await sharp(mask.path).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size.width || info.height !== size.height || info.channels < 3) {
    throw new Error(
      `the mask is ${info.width}×${info.height} with ${info.channels} channels, not ${size.width}×${size.height} RGB`,
    );
  }
  const names = new Map(mask.legend.map((e) => [e.id, e.name]));
  const ids = new Uint16Array(info.width * info.height);
  for (let i = 0; i < ids.length; i++) {
    const at = i * info.channels;
    const id = data[at]! + 256 * data[at + 1]!;
    ids[i] = data[at + 2] === 0 && names.has(id) ? id : 0;
  }
  return { width: info.width, height: info.height, ids, names };
}
