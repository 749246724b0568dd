/**
 * Household things built from primitives, facing +X with their origin on the ground: a
 * chair, a table, a desk lamp with a tilted arm and shade, and a mug on a saucer.
 */
import type { Random } from "../../random.ts";
import { type PartTemplate, round, type Vec3 } from "./bench-scene.ts";
import { BRIGHT, DARK, METAL, PAINT, PLASTIC, palette, part, STEEL, WOOD, WOODS } from "./compound-parts.ts";

const CERAMIC = palette([200, 195, 185], [200, 40, 40], [40, 90, 170], [235, 190, 50], [60, 140, 90]);
const COFFEE = palette([60, 35, 20])[0]!;
const BULB = palette([250, 235, 180])[0]!;

function corners(x: number, y: number): [number, number][] {
  return [
    [x, y],
    [-x, y],
    [x, -y],
    [-x, -y],
  ];
}

export function chair(random: Random): PartTemplate[] {
  const wood = random.pick(WOODS);
  const seatH = round(random.uniform(0.42, 0.48), 2);
  const seatW = round(random.uniform(0.42, 0.5), 2);
  const backH = round(random.uniform(0.4, 0.55), 2);
  const inset = seatW / 2 - 0.03;
  const parts: PartTemplate[] = [
    part("seat", "cube", [seatW, seatW, 0.05], [0, 0, seatH], wood, WOOD),
    ...corners(inset, inset).map(([x, y], i) =>
      part(`leg${i + 1}`, "cylinder", [0.04, 0.04, seatH], [x, y, round(seatH / 2, 3)], wood, WOOD),
    ),
    ...[1, -1].map((s, k) =>
      part(
        `post${k + 1}`,
        "cube",
        [0.04, 0.04, backH],
        [-inset, s * inset, round(seatH + backH / 2, 3)],
        wood,
        WOOD,
      ),
    ),
    part("rail", "cube", [0.04, seatW, 0.12], [-inset, 0, round(seatH + backH - 0.06, 3)], wood, WOOD),
  ];
  const slats = random.int(0, 2);
  for (let i = 0; i < slats; i++) {
    const z = round(seatH + (backH * (i + 1)) / (slats + 2), 3);
    parts.push(part(`slat${i + 1}`, "cube", [0.03, seatW * 0.9, 0.05], [-inset, 0, z], wood, WOOD));
  }
  if (random.next() < 0.5) {
    parts.push(
      part(
        "cushion",
        "cube",
        [seatW * 0.9, seatW * 0.9, 0.05],
        [0, 0, round(seatH + 0.05, 3)],
        random.pick(BRIGHT),
        PLASTIC,
      ),
    );
  }
  return parts;
}

export function table(random: Random): PartTemplate[] {
  const wood = random.pick(WOODS);
  const height = round(random.uniform(0.7, 0.78), 2);
  const length = round(random.uniform(1.0, 1.5), 2);
  const width = round(random.uniform(0.6, 0.85), 2);
  const legX = length / 2 - 0.06;
  const legY = width / 2 - 0.06;
  const parts: PartTemplate[] = [
    part("top", "cube", [length, width, 0.05], [0, 0, round(height - 0.025, 3)], wood, WOOD),
    ...corners(legX, legY).map(([x, y], i) =>
      part(
        `leg${i + 1}`,
        "cube",
        [0.06, 0.06, height - 0.05],
        [round(x, 3), round(y, 3), round((height - 0.05) / 2, 3)],
        wood,
        WOOD,
      ),
    ),
  ];
  if (random.next() < 0.6) {
    const z = round(height - 0.1, 3);
    parts.push(
      part("apron1", "cube", [2 * legX, 0.03, 0.1], [0, round(legY, 3), z], wood, WOOD),
      part("apron2", "cube", [2 * legX, 0.03, 0.1], [0, round(-legY, 3), z], wood, WOOD),
      part("apron3", "cube", [0.03, 2 * legY, 0.1], [round(legX, 3), 0, z], wood, WOOD),
      part("apron4", "cube", [0.03, 2 * legY, 0.1], [round(-legX, 3), 0, z], wood, WOOD),
    );
  }
  return parts;
}

/** Rotation about Y by `deg` applied to a local offset along Z. */
function alongY(deg: number, length: number): Vec3 {
  const a = (deg * Math.PI) / 180;
  return [length * Math.sin(a), 0, length * Math.cos(a)];
}

export function lamp(random: Random): PartTemplate[] {
  const color = random.pick([STEEL, DARK, ...BRIGHT]);
  const surface = color === STEEL ? METAL : PAINT;
  const stemH = round(random.uniform(0.3, 0.45), 2);
  const armL = round(random.uniform(0.3, 0.42), 2);
  const armTilt = round(random.uniform(25, 55), 1);
  const shadeTilt = round(random.uniform(20, 50), 1);
  const shadeH = 0.14;
  const j1: Vec3 = [-0.08, 0, 0.04 + stemH];
  const armDir = alongY(armTilt, armL);
  const j2: Vec3 = [j1[0] + armDir[0], 0, j1[2] + armDir[2]];
  // The shade's apex hangs from the elbow; tilted back it opens forward and down.
  const shadeAxis = alongY(-shadeTilt, 1);
  const on = (from: Vec3, t: number): Vec3 => [
    round(from[0] - shadeAxis[0] * t, 3),
    0,
    round(from[2] - shadeAxis[2] * t, 3),
  ];
  return [
    part("base", "cylinder", [0.24, 0.24, 0.04], [0, 0, 0.02], color, surface),
    part("stem", "cylinder", [0.03, 0.03, stemH], [j1[0], 0, round(0.04 + stemH / 2, 3)], color, surface),
    part("joint1", "sphere", [0.06, 0.06, 0.06], [j1[0], 0, round(j1[2], 3)], DARK, METAL),
    part(
      "arm",
      "cylinder",
      [0.025, 0.025, armL],
      [round(j1[0] + armDir[0] / 2, 3), 0, round(j1[2] + armDir[2] / 2, 3)],
      color,
      surface,
      [0, armTilt, 0],
    ),
    part("joint2", "sphere", [0.05, 0.05, 0.05], [round(j2[0], 3), 0, round(j2[2], 3)], DARK, METAL),
    part("shade", "cone", [0.18, 0.18, shadeH], on(j2, shadeH / 2), color, surface, [0, -shadeTilt, 0]),
    part("bulb", "sphere", [0.06, 0.06, 0.06], on(j2, shadeH * 0.85), BULB, PLASTIC),
  ];
}

export function mug(random: Random): PartTemplate[] {
  const glaze = random.pick(CERAMIC);
  const d = round(random.uniform(0.08, 0.095), 3);
  const h = round(random.uniform(0.085, 0.11), 3);
  const base = 0.012;
  const parts: PartTemplate[] = [
    part("saucer", "cylinder", [0.16, 0.16, base], [0, 0, base / 2], random.pick(CERAMIC), PAINT),
    part("body", "cylinder", [d, d, h], [0, 0, round(base + h / 2, 4)], glaze, PAINT),
    part("rim", "torus", [d * 1.05, d * 1.05, 0.008], [0, 0, round(base + h, 4)], glaze, PAINT),
    part(
      "coffee",
      "cylinder",
      [d * 0.85, d * 0.85, 0.004],
      [0, 0, round(base + h - 0.008, 4)],
      COFFEE,
      PLASTIC,
    ),
    part(
      "handle",
      "torus",
      [0.06, 0.06, 0.014],
      [round(d / 2 + 0.005, 4), 0, round(base + h / 2, 4)],
      glaze,
      PAINT,
      [90, 0, 0],
    ),
  ];
  if (random.next() < 0.5) {
    parts.push(
      part(
        "spoon",
        "cube",
        [0.1, 0.01, 0.004],
        [-0.01, 0.065, round(base + 0.004, 4)],
        [0.4, 0.4, 0.42],
        METAL,
        [0, 0, -20],
      ),
      part(
        "bowl",
        "sphere",
        [0.03, 0.02, 0.008],
        [0.045, 0.05, round(base + 0.004, 4)],
        [0.4, 0.4, 0.42],
        METAL,
      ),
    );
  }
  return parts;
}
