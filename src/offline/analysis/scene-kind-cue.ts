/**
 * What the photo's frame says about its kind of scene, before any render: a uniform border
 * all round with the subject inside it is an object on a backdrop (no ground to see); a
 * subject that crosses two or more edges of an otherwise plain frame is a close-up; anything
 * else (a ground with its brightness changing towards the horizon, a horizon, texture) is a
 * ground scene, which the camera search may then find to be seen from above (topdown). A
 * plain desk seen from above also has a plain border, and an object on a backdrop may reach
 * a border or two: whenever the border is plain the initialisation builds both scaffolds and
 * keeps the one that renders closer (a desk casts shadows; a chair is no ball on the floor).
 */
import type { RgbImage } from "../../image/types.ts";
import { densestMedian, maxAbsDiff, type Rgb3 } from "./colour.ts";
import { components, pixel } from "./mask.ts";

export interface KindCue {
  kind: "ground" | "object" | "closeup";
  /**
   * The border is one flat colour over at least half its length: a backdrop, or a plain
   * surface seen from above. Only the renders can tell, so both scaffolds are built.
   */
  plain: boolean;
  /** What the scene is if it has no ground after all: a close-up when the subject is big and crosses edges. */
  floatingKind: "object" | "closeup";
  /** The backdrop's sRGB colour: the border's commonest colour. */
  backdrop: Rgb3;
  /** Share of border pixels within BACKDROP_TOLERANCE of the backdrop. */
  borderShare: number;
  /** Edges (top, right, bottom, left) the subject crosses. */
  edgesCrossed: string[];
  /** Share of the frame that differs from the backdrop. */
  subjectShare: number;
  evidence: string;
}

/** sRGB distance (max over channels) within which a pixel counts as backdrop: noise and a little vignetting. */
const BACKDROP_TOLERANCE = 0.05;
/** An edge is crossed when this share of its pixels is subject. */
const EDGE_CROSSED = 0.08;
/** A ground seen at an angle brightens or darkens across the frame; a backdrop keeps this share of the border within tolerance. */
const UNIFORM_BORDER = 0.9;
/** A close-up's subject fills at least this share of the frame. */
const CLOSEUP_SUBJECT = 0.1;
/** Things smaller than this share of the frame are specks, not things. */
const THING_SHARE = 0.002;
/** An object-centric photo shows one object or a few; more separate things on a plain surface are a desk or a floor. */
const MAX_OBJECTS = 3;
/** Below this share of the border the backdrop is not what the frame shows most (a room, a table top). */
const MIN_BACKDROP_SHARE = 0.5;
/** Render noise and JPEG leave a flat backdrop within this of its colour (sRGB)… */
const FLAT_TOLERANCE = 0.015;
/** …for this share of its border pixels. */
const FLAT_SHARE = 0.93;

const EDGES = ["top", "right", "bottom", "left"] as const;

/** Pixel indices of one edge's outer band `band` pixels deep. */
function edgePixels(img: RgbImage, edge: (typeof EDGES)[number], band: number): number[] {
  const { width: w, height: h } = img;
  const out: number[] = [];
  for (let d = 0; d < band; d++) {
    if (edge === "top" || edge === "bottom") {
      const y = edge === "top" ? d : h - 1 - d;
      for (let x = 0; x < w; x++) out.push(y * w + x);
    } else {
      const x = edge === "left" ? d : w - 1 - d;
      for (let y = 0; y < h; y++) out.push(y * w + x);
    }
  }
  return out;
}

/** The commonest colour among `pixels` (a robust mode per channel). */
function modeColour(img: RgbImage, pixels: readonly number[]): Rgb3 {
  return [0, 1, 2].map((c) =>
    densestMedian(
      pixels.map((i) => img.data[i * 3 + c]!),
      BACKDROP_TOLERANCE,
    ),
  ) as Rgb3;
}

export function sceneKindCue(img: RgbImage): KindCue {
  const band = Math.max(1, Math.round(Math.min(img.width, img.height) * 0.02));
  const edges = EDGES.map((edge) => ({ edge, pixels: edgePixels(img, edge, band) }));
  const border = edges.flatMap((e) => e.pixels);
  const backdrop = modeColour(img, border);
  const isSubject = (i: number) => maxAbsDiff(pixel(img, i), backdrop) > 2 * BACKDROP_TOLERANCE;
  const near = (i: number) => maxAbsDiff(pixel(img, i), backdrop) <= BACKDROP_TOLERANCE;
  const borderShare = border.filter(near).length / border.length;
  const edgesCrossed = edges
    .filter((e) => e.pixels.filter(isSubject).length / e.pixels.length >= EDGE_CROSSED)
    .map((e) => e.edge);
  const mask = new Uint8Array(img.width * img.height);
  let subject = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!isSubject(i)) continue;
    mask[i] = 1;
    subject++;
  }
  const subjectShare = subject / mask.length;
  const things = components(mask, img.width, img.height).filter(
    (c) => c.length >= THING_SHARE * mask.length,
  ).length;
  // A backdrop is flat: nearly all of the border near its colour is very near it. A ground's
  // brightness drifts across the frame, so much of it is only roughly near (a room's flat wall
  // is less than half its border).
  const flat = border.filter((i) => maxAbsDiff(pixel(img, i), backdrop) <= FLAT_TOLERANCE).length;
  const flatShare = flat / Math.max(1, border.filter(near).length);
  const plain = flatShare >= FLAT_SHARE && borderShare >= MIN_BACKDROP_SHARE;
  const crossed = edgesCrossed.length
    ? ` and crosses the ${edgesCrossed.join(", ")} edge${edgesCrossed.length > 1 ? "s" : ""}`
    : "";
  const facts = `${Math.round(borderShare * 100)} % of the border is one colour (${Math.round(flatShare * 100)} % of that flat), ${things} separate thing${things === 1 ? "" : "s"} covering ${Math.round(subjectShare * 100)} % of the frame${crossed}`;
  // A plain surface seen from above can look like this too: the camera search tells them apart by render.
  const onBackdrop = plain;
  const big =
    (edgesCrossed.length >= 2 && subjectShare >= CLOSEUP_SUBJECT) ||
    (edgesCrossed.length >= 1 && subjectShare >= 3 * CLOSEUP_SUBJECT);
  let kind: KindCue["kind"] = "ground";
  if (onBackdrop && big) kind = "closeup";
  else if (
    onBackdrop &&
    borderShare >= UNIFORM_BORDER &&
    edgesCrossed.length <= 1 &&
    things >= 1 &&
    things <= MAX_OBJECTS
  )
    kind = "object";
  const floatingKind = big ? "closeup" : "object";
  return { kind, plain, floatingKind, backdrop, borderShare, edgesCrossed, subjectShare, evidence: facts };
}
