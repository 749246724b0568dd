/**
 * Tabletop scenes: a four-legged table carrying 3–5 everyday objects, each built from
 * several primitives (mugs, bowls, books, bottles, fruit), under a sun and a grey sky.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import type { Random } from "../../random.ts";
import {
  type BenchScene,
  type Composite,
  compositeOf,
  linearFromSrgb255,
  type PartTemplate,
  placeComposite,
  round,
  scatter,
  type Vec3,
} from "./bench-scene.ts";

const TABLE_TOP_Z = 0.775;
const WOOD = linearFromSrgb255([150, 105, 70]);
const PAPER = linearFromSrgb255([235, 230, 215]);
const STEM = linearFromSrgb255([90, 60, 30]);
const CERAMIC: Vec3[] = [
  [230, 230, 225],
  [200, 40, 40],
  [40, 90, 170],
  [245, 200, 60],
  [60, 140, 90],
].map((c) => linearFromSrgb255(c as Vec3));
const COVERS: Vec3[] = [
  [160, 30, 40],
  [30, 60, 120],
  [40, 110, 60],
  [30, 30, 30],
].map((c) => linearFromSrgb255(c as Vec3));
const GLASS: Vec3[] = [
  [40, 110, 50],
  [110, 60, 20],
  [120, 150, 170],
].map((c) => linearFromSrgb255(c as Vec3));
const STEEL = linearFromSrgb255([200, 200, 205]);

type Kind = "mug" | "bowl" | "book" | "bottle" | "fruit";
const KINDS: readonly Kind[] = ["mug", "bowl", "book", "bottle", "fruit"];
/** Footprint radii for non-overlapping placement. */
const RADIUS: Record<Kind, number> = { mug: 0.08, bowl: 0.09, book: 0.13, bottle: 0.045, fruit: 0.05 };

function part(
  suffix: string,
  shape: PartTemplate["shape"],
  size: Vec3,
  offset: Vec3,
  color: Vec3,
  surface: { roughness: number; metallic: number },
  rotationDeg?: Vec3,
): PartTemplate {
  return { suffix, shape, size, offset, color, ...surface, ...(rotationDeg ? { rotationDeg } : {}) };
}

function templateFor(kind: Kind, random: Random): PartTemplate[] {
  const metal = random.next() < 0.25;
  const glaze = metal ? { roughness: 0.25, metallic: 1 } : { roughness: 0.35, metallic: 0 };
  const color = metal ? STEEL : random.pick(CERAMIC);
  switch (kind) {
    case "mug":
      return [
        part("body", "cylinder", [0.09, 0.09, 0.1], [0, 0, 0.05], color, glaze),
        part("handle", "torus", [0.06, 0.06, 0.014], [0.055, 0, 0.05], color, glaze, [90, 0, 0]),
      ];
    case "bowl":
      return [
        part("body", "sphere", [0.16, 0.16, 0.08], [0, 0, 0.04], color, glaze),
        part("rim", "torus", [0.16, 0.16, 0.016], [0, 0, 0.075], color, glaze),
      ];
    case "book": {
      const cover = { roughness: 0.6, metallic: 0 };
      return [
        part("cover", "cube", [0.2, 0.15, 0.04], [0, 0, 0.02], random.pick(COVERS), cover),
        part("pages", "cube", [0.192, 0.152, 0.03], [0.006, 0, 0.02], PAPER, { roughness: 0.9, metallic: 0 }),
      ];
    }
    case "bottle": {
      const body = metal ? STEEL : random.pick(GLASS);
      const surface = metal ? glaze : { roughness: 0.15, metallic: 0 };
      return [
        part("body", "cylinder", [0.07, 0.07, 0.18], [0, 0, 0.09], body, surface),
        part("neck", "cylinder", [0.028, 0.028, 0.07], [0, 0, 0.215], body, surface),
        part("cap", "cylinder", [0.032, 0.032, 0.02], [0, 0, 0.26], CERAMIC[0]!, {
          roughness: 0.5,
          metallic: 0,
        }),
      ];
    }
    case "fruit": {
      const orange = random.next() < 0.5;
      const skin = linearFromSrgb255(orange ? [235, 130, 20] : [180, 25, 30]);
      const d = orange ? 0.085 : 0.08;
      return [
        part("skin", "sphere", [d, d, d], [0, 0, d / 2], skin, { roughness: 0.45, metallic: 0 }),
        part("stem", "cylinder", [0.008, 0.008, 0.02], [0, 0, d + 0.005], STEM, {
          roughness: 0.8,
          metallic: 0,
        }),
      ];
    }
  }
}

function table(): PartTemplate[] {
  const wood = { roughness: 0.6, metallic: 0 };
  const legs: PartTemplate[] = [
    [0.72, 0.42],
    [-0.72, 0.42],
    [0.72, -0.42],
    [-0.72, -0.42],
  ].map(([x, y], i) => part(`leg${i + 1}`, "cylinder", [0.05, 0.05, 0.75], [x!, y!, 0.375], WOOD, wood));
  return [part("top", "cube", [1.6, 1.0, 0.05], [0, 0, 0.75], WOOD, wood), ...legs];
}

export function tabletopScene(random: Random): BenchScene {
  const count = random.int(3, 5);
  const kinds = Array.from({ length: count }, () => random.pick(KINDS));
  const spots = scatter(
    random,
    kinds.map((k) => RADIUS[k]),
    { xMin: -0.7, xMax: 0.7, yMin: -0.4, yMax: 0.4 },
    0.03,
  );
  const tableParts = placeComposite("table", table(), [0, 0, 0], 0);
  const objects: SceneObject[] = [...tableParts];
  const composites: Composite[] = [compositeOf("table", "table", tableParts)];
  spots.forEach((spot, i) => {
    const kind = kinds[spot.index]!;
    const name = `${kind}${i + 1}`;
    const parts = placeComposite(
      name,
      templateFor(kind, random),
      [spot.x, spot.y, TABLE_TOP_Z],
      round(random.uniform(0, 360), 1),
    );
    objects.push(...parts);
    composites.push(compositeOf(name, kind, parts));
  });
  return {
    spec: {
      objects,
      camera: { location: [0, -1.3, 1.5], lookAt: [0, 0, 0.78], lensMm: 35, sensorMm: 36 },
      sun: {
        elevationDeg: round(random.uniform(40, 70), 1),
        azimuthDeg: round(random.uniform(-150, -30), 1),
        strength: round(random.uniform(2.5, 4), 2),
        color: [1, 0.97, 0.92],
        angleDeg: 8,
      },
      world: { color: [0.55, 0.6, 0.7], strength: 0.7 },
      ground: { color: linearFromSrgb255([120, 110, 100]), roughness: 0.8, size: 40 },
      exposure: 0,
    },
    composites,
    width: 320,
    height: 240,
  };
}
