/**
 * Two objects in one region. Touching objects of one hue (two yellow cubes side by side, a
 * small cube behind a larger one, a dark ball against a red one) grow into one region, and
 * no single convex primitive covers its outline. When the best single fit leaves a large
 * part of the region uncovered, that part is fitted with a second primitive (the first may
 * hide it), the pair is refined together, and it replaces the single object when it covers
 * the region clearly better with two objects that do not pass through each other.
 */
import type { RgbImage } from "../../image/types.ts";
import type { SceneObject } from "../../program/scene-spec.ts";
import type { PinholeCamera } from "./camera.ts";
import { components, opened } from "./mask.ts";
import { type Segment, segmentOf } from "./segment.ts";
import { HIDDEN, inscribed, REGION, type RegionMask, silhouetteIoU, silhouetteMask } from "./silhouette.ts";
import { fitSilhouettes } from "./silhouette-fit.ts";

/** A single fit this good is one object. */
const SPLIT_BELOW_IOU = 0.93;
/** The uncovered part must be this share of the region, and of the image, to be an object of its own (not a fragment or a rim). */
const MIN_PART_SHARE = 0.05;
const MIN_PART_IMAGE_SHARE = 0.002;
/** How much better the pair must cover the region: a second object must earn its place. */
const MIN_IOU_GAIN = 0.05;
/**
 * Solid objects do not pass through each other: the pair's centres on the ground must be at
 * least this share of their mean width apart (touching balls are 1). A ragged region of one
 * object (its dark top lost to the shadow test) is "explained" by a second object sunk into
 * the first.
 */
const MIN_SEPARATION = 0.85;

function interpenetrate(a: SceneObject, b: SceneObject): boolean {
  const distance = Math.hypot(a.location[0] - b.location[0], a.location[1] - b.location[1]);
  return distance < (MIN_SEPARATION * (Math.max(a.size[0], a.size[1]) + Math.max(b.size[0], b.size[1]))) / 2;
}

/**
 * The pair replacing `single` in the region, or null when one object explains it.
 * `place` makes an object for a sub-region (objectForRegion, shapes tried and fitted).
 */
export function splitRegion(
  img: RgbImage,
  region: RegionMask,
  cam: PinholeCamera,
  single: SceneObject,
  place: (part: Segment, partRegion: RegionMask) => SceneObject | null,
): SceneObject[] | null {
  const singleIoU = silhouetteIoU(cam, [single], region);
  if (singleIoU >= SPLIT_BELOW_IOU) return null;
  const { width, height } = region;
  // The largest primitive inside the region is one of the objects; what it leaves, less rims, is the other.
  const [first] = fitSilhouettes(cam, [single], region, inscribed).objects;
  const covered = silhouetteMask(cam, [first!], width, height);
  const uncovered = Uint8Array.from(region.cells, (c, i) => (c === REGION && !covered[i] ? 1 : 0));
  const part = components(opened(uncovered, uncovered, width, height), width, height).reduce<number[]>(
    (a, b) => (b.length > a.length ? b : a),
    [],
  );
  if (part.length < Math.max(MIN_PART_IMAGE_SHARE * width * height, MIN_PART_SHARE * region.area))
    return null;
  // Each part is fitted on its own, shapes tried afresh; the other part may hide it.
  const inPart = new Uint8Array(region.cells.length);
  for (const i of part) inPart[i] = 1;
  const partOf = (mine: (i: number) => boolean) => {
    const pixels: number[] = [];
    const cells = Uint8Array.from(region.cells, (c, i) => {
      if (c === REGION && mine(i)) {
        pixels.push(i);
        return REGION;
      }
      return c === REGION || c === HIDDEN ? HIDDEN : 0;
    });
    // The inscribed fit can cover none of the region (a sliver), leaving the first part empty.
    return pixels.length > 0
      ? place(segmentOf(img, pixels), { width, height, cells, area: pixels.length })
      : null;
  };
  const second = partOf((i) => inPart[i] === 1);
  const rest = partOf((i) => inPart[i] === 0);
  if (!second || !rest) return null;
  const pair = fitSilhouettes(cam, [rest, second], region);
  const [a, b] = pair.objects as [SceneObject, SceneObject];
  return pair.score >= singleIoU + MIN_IOU_GAIN && !interpenetrate(a, b) ? pair.objects : null;
}
