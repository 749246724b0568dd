/**
 * Figures built from primitives, facing +X with their origin on the ground: a toy robot
 * (legs, feet, torso, arms, hands, neck, head, eyes, antenna) and a low-poly bust (neck,
 * head, nose, eyes, ears, mouth, sometimes a hat).
 */
import type { Random } from "../../random.ts";
import { type PartTemplate, round } from "./bench-scene.ts";
import { BRIGHT, DARK, METAL, PAINT, PLASTIC, palette, part, RUBBER, STEEL } from "./compound-parts.ts";

const SKIN = palette([225, 180, 150], [190, 135, 100], [140, 95, 65], [110, 160, 200]);
const WHITE_EYE = palette([215, 215, 210])[0]!;

export function robot(random: Random): PartTemplate[] {
  const body = random.pick([STEEL, ...BRIGHT]);
  const trim = random.pick(BRIGHT);
  const legH = round(random.uniform(0.5, 0.7), 2);
  const torsoH = round(random.uniform(0.6, 0.8), 2);
  const torsoW = round(random.uniform(0.55, 0.7), 2);
  const torsoZ = round(0.08 + legH + torsoH / 2, 3);
  const shoulderZ = round(torsoZ + torsoH / 2 - 0.1, 3);
  const armL = round(torsoH * 0.9, 3);
  const headS = round(random.uniform(0.35, 0.45), 2);
  const neckZ = torsoZ + torsoH / 2 + 0.05;
  const headZ = round(neckZ + 0.05 + headS / 2, 3);
  const surface = body === STEEL ? METAL : PAINT;
  const sides = [1, -1] as const;
  return [
    ...sides.flatMap((s, k) => [
      part(`foot${k + 1}`, "cube", [0.3, 0.16, 0.08], [0.05, s * 0.15, 0.04], DARK, RUBBER),
      part(
        `leg${k + 1}`,
        "cylinder",
        [0.12, 0.12, legH],
        [0, s * 0.15, round(0.08 + legH / 2, 3)],
        body,
        surface,
      ),
      part(
        `arm${k + 1}`,
        "cylinder",
        [0.1, 0.1, armL],
        [0, round(s * (torsoW / 2 + 0.07), 3), round(shoulderZ - armL / 2, 3)],
        body,
        surface,
        // Tilted so the hands hang clear of the torso.
        [s * 12, 0, 0],
      ),
      part(
        `hand${k + 1}`,
        "sphere",
        [0.14, 0.14, 0.14],
        [0, round(s * (torsoW / 2 + 0.07 + armL * 0.104), 3), round(shoulderZ - armL * 0.99 - 0.05, 3)],
        trim,
        PLASTIC,
      ),
    ]),
    part("torso", "cube", [0.4, torsoW, torsoH], [0, 0, torsoZ], body, surface),
    part("panel", "cube", [0.03, torsoW * 0.5, torsoH * 0.4], [0.2, 0, torsoZ], trim, PLASTIC),
    part("neck", "cylinder", [0.12, 0.12, 0.1], [0, 0, round(neckZ, 3)], DARK, METAL),
    part("head", "cube", [headS, headS * 1.2, headS], [0, 0, headZ], body, surface),
    ...sides.map((s, k) =>
      part(
        `eye${k + 1}`,
        "sphere",
        [0.08, 0.08, 0.08],
        [round(headS / 2, 3), round(s * headS * 0.25, 3), headZ],
        trim,
        PLASTIC,
      ),
    ),
    part("antenna", "cylinder", [0.03, 0.03, 0.2], [0, 0, round(headZ + headS / 2 + 0.1, 3)], DARK, METAL),
    part("bulb", "sphere", [0.08, 0.08, 0.08], [0, 0, round(headZ + headS / 2 + 0.22, 3)], trim, PLASTIC),
  ];
}

export function bust(random: Random): PartTemplate[] {
  const skin = random.pick(SKIN);
  const headH = round(random.uniform(0.26, 0.32), 3);
  const headW = round(headH * random.uniform(0.72, 0.85), 3);
  const neckH = 0.12;
  const headZ = round(neckH + headH * 0.45, 3);
  const front = headW * 0.5;
  const eyeZ = round(headZ + headH * 0.08, 3);
  const parts: PartTemplate[] = [
    part("shoulders", "cylinder", [0.26, 0.42, 0.06], [0, 0, 0.03], random.pick(BRIGHT), PLASTIC),
    part("neck", "cylinder", [0.1, 0.1, neckH], [0, 0, neckH / 2], skin, PLASTIC),
    part("head", "sphere", [headW * 1.05, headW, headH], [0, 0, headZ], skin, PLASTIC),
    part(
      "nose",
      "cone",
      [0.04, 0.04, 0.06],
      [round(front + 0.02, 3), 0, round(headZ - headH * 0.04, 3)],
      skin,
      PLASTIC,
      [0, 90, 0],
    ),
    part(
      "mouth",
      "torus",
      [0.02, 0.07, 0.012],
      [round(front * 0.96, 3), 0, round(headZ - headH * 0.22, 3)],
      DARK,
      RUBBER,
      [0, 90, 0],
    ),
    ...[1, -1].flatMap((s, k) => [
      part(
        `eye${k + 1}`,
        "sphere",
        [0.045, 0.045, 0.045],
        [round(front * 0.82, 3), round(s * headW * 0.2, 3), eyeZ],
        WHITE_EYE,
        PLASTIC,
      ),
      part(
        `pupil${k + 1}`,
        "sphere",
        [0.02, 0.02, 0.02],
        [round(front * 0.82 + 0.02, 3), round(s * headW * 0.2, 3), eyeZ],
        DARK,
        PLASTIC,
      ),
      part(
        `ear${k + 1}`,
        "sphere",
        [0.05, 0.02, 0.07],
        [0, round(s * headW * 0.5, 3), round(headZ, 3)],
        skin,
        PLASTIC,
      ),
    ]),
  ];
  if (random.next() < 0.5) {
    const hat = random.pick(BRIGHT);
    const top = headZ + headH * 0.38;
    parts.push(
      part("brim", "cylinder", [headW * 1.5, headW * 1.5, 0.015], [0, 0, round(top, 3)], hat, PLASTIC),
      part(
        "crown",
        "cylinder",
        [headW * 0.95, headW * 0.95, 0.12],
        [0, 0, round(top + 0.06, 3)],
        hat,
        PLASTIC,
      ),
    );
  }
  return parts;
}
