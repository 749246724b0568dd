/**
 * Everyday things lying on a desk, each in its own frame with its origin on the desk: a
 * pencil, a lighter, a coin, a ball, a jar lid, a notebook, an eraser and a mug. Long
 * things lie along their local X, so a yaw turns them on the desk.
 */
import type { Random } from "../../random.ts";
import { type PartTemplate, round, type Vec3 } from "./bench-scene.ts";
import { BRIGHT, DARK, METAL, PAINT, PLASTIC, palette, part, RUBBER, WOOD } from "./compound-parts.ts";

export type DeskItem = "pencil" | "lighter" | "coin" | "ball" | "lid" | "notebook" | "eraser" | "mug";
export const DESK_ITEMS: readonly DeskItem[] = [
  "pencil",
  "lighter",
  "coin",
  "ball",
  "lid",
  "notebook",
  "eraser",
  "mug",
];

const PENCIL_PAINT = palette([235, 190, 40], [40, 110, 60], [180, 40, 40], [40, 70, 150]);
const TIP = palette([225, 190, 150])[0]!;
const PINK = palette([230, 140, 150])[0]!;
const PAPER = palette([235, 230, 215])[0]!;
const COINS = palette([190, 150, 60], [180, 180, 185], [170, 100, 60]);
const COFFEE = palette([60, 35, 20])[0]!;
const CERAMIC = palette([200, 195, 185], [200, 40, 40], [40, 90, 170], [60, 140, 90]);

/** A cylinder lying along X with its side on the desk. */
function lying(
  suffix: string,
  shape: "cylinder" | "cone",
  d: number,
  length: number,
  x: number,
  color: Vec3,
  surface = PAINT,
) {
  return part(suffix, shape, [d, d, length], [x, 0, d / 2], color, surface, [0, 90, 0]);
}

export function deskItem(kind: DeskItem, random: Random): { parts: PartTemplate[]; radius: number } {
  switch (kind) {
    case "pencil": {
      const length = round(random.uniform(0.13, 0.18), 3);
      const d = 0.009;
      const parts = [
        lying("body", "cylinder", d, length, 0, random.pick(PENCIL_PAINT)),
        // The cone's apex is its local +Z, which the lying turn points along +X.
        lying("tip", "cone", d, 0.02, round(length / 2 + 0.01, 4), TIP, WOOD),
      ];
      if (random.next() < 0.5)
        parts.push(lying("eraser", "cylinder", d, 0.012, round(-length / 2 - 0.006, 4), PINK, RUBBER));
      return { parts, radius: length / 2 + 0.025 };
    }
    case "lighter": {
      const body = random.pick(BRIGHT);
      return {
        parts: [
          part("body", "cube", [0.06, 0.025, 0.012], [0, 0, 0.006], body, PLASTIC),
          part("cap", "cube", [0.018, 0.026, 0.013], [0.038, 0, 0.0065], [0.6, 0.6, 0.62], METAL),
        ],
        radius: 0.05,
      };
    }
    case "coin": {
      const d = round(random.uniform(0.02, 0.028), 3);
      return {
        parts: [part("", "cylinder", [d, d, 0.002], [0, 0, 0.001], random.pick(COINS), METAL)],
        radius: d / 2 + 0.005,
      };
    }
    case "ball": {
      const d = round(random.uniform(0.035, 0.07), 3);
      return {
        parts: [part("", "sphere", [d, d, d], [0, 0, d / 2], random.pick(BRIGHT), RUBBER)],
        radius: d / 2 + 0.005,
      };
    }
    case "lid": {
      const d = round(random.uniform(0.06, 0.09), 3);
      const color = random.pick([...BRIGHT, [0.5, 0.5, 0.52] as Vec3]);
      return {
        parts: [
          part("top", "cylinder", [d, d, 0.008], [0, 0, 0.008], color, METAL),
          part("rim", "torus", [d * 1.02, d * 1.02, 0.012], [0, 0, 0.006], color, METAL),
        ],
        radius: d / 2 + 0.008,
      };
    }
    case "notebook": {
      const w = round(random.uniform(0.14, 0.21), 3);
      const h = round(w * 0.72, 3);
      return {
        parts: [
          part("cover", "cube", [w, h, 0.012], [0, 0, 0.006], random.pick([...BRIGHT, DARK]), PLASTIC),
          part("pages", "cube", [w * 0.96, h * 1.01, 0.009], [w * 0.015, 0, 0.006], PAPER, {
            roughness: 0.9,
            metallic: 0,
          }),
        ],
        radius: Math.hypot(w, h) / 2 + 0.01,
      };
    }
    case "eraser": {
      const parts = [
        part("body", "cube", [0.045, 0.02, 0.011], [0, 0, 0.0055], random.pick([PINK, PAPER]), RUBBER),
      ];
      if (random.next() < 0.5)
        parts.push(
          part("sleeve", "cube", [0.025, 0.021, 0.012], [0.008, 0, 0.006], random.pick(BRIGHT), PAINT),
        );
      return { parts, radius: 0.03 };
    }
    case "mug": {
      const glaze = random.pick(CERAMIC);
      const d = round(random.uniform(0.075, 0.09), 3);
      const h = 0.095;
      return {
        parts: [
          part("body", "cylinder", [d, d, h], [0, 0, h / 2], glaze, PAINT),
          part("coffee", "cylinder", [d * 0.88, d * 0.88, 0.004], [0, 0, h - 0.008], COFFEE, PLASTIC),
          part(
            "handle",
            "torus",
            [0.055, 0.055, 0.013],
            [round(d / 2 + 0.004, 4), 0, h / 2],
            glaze,
            PAINT,
            [90, 0, 0],
          ),
        ],
        radius: d / 2 + 0.035,
      };
    }
  }
}
