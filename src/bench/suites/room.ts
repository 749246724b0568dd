/**
 * Room scenes: a floor, a back wall with a window the sun shines through, a side wall, and
 * 2–4 pieces of furniture (sofa, table, chair, cabinet, floor lamp) built from primitives.
 * The walls are scored as structure, the furniture as objects.
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

const WALL_HEIGHT = 2.6;
const WALL_THICKNESS = 0.1;
const BACK_Y = 2.5;
const LEFT_X = -3;
const RIGHT_X = 3;
const WINDOW = { halfWidth: 0.6, bottom: 0.9, top: 2.0 };

const FABRIC: Vec3[] = [
  [70, 90, 120],
  [150, 60, 50],
  [90, 110, 80],
  [180, 170, 150],
].map((c) => linearFromSrgb255(c as Vec3));
const WOODS: Vec3[] = [
  [150, 105, 70],
  [95, 65, 40],
  [200, 170, 130],
].map((c) => linearFromSrgb255(c as Vec3));
const STEEL = linearFromSrgb255([190, 190, 195]);
const SHADE = linearFromSrgb255([240, 230, 200]);

type Kind = "sofa" | "table" | "chair" | "cabinet" | "lamp";
const KINDS: readonly Kind[] = ["sofa", "table", "chair", "cabinet", "lamp"];
const RADIUS: Record<Kind, number> = { sofa: 1.0, table: 0.7, chair: 0.35, cabinet: 0.45, lamp: 0.2 };

const matte = { roughness: 0.9, metallic: 0 };
const wood = { roughness: 0.55, metallic: 0 };
const metal = { roughness: 0.3, metallic: 1 };

function box(suffix: string, size: Vec3, offset: Vec3, color: Vec3, surface = matte): PartTemplate {
  return { suffix, shape: "cube", size, offset, color, ...surface };
}

function legs(xy: number[][], diameter: number, height: number, color: Vec3, surface = wood): PartTemplate[] {
  return xy.map(([x, y], i) => ({
    suffix: `leg${i + 1}`,
    shape: "cylinder" as const,
    size: [diameter, diameter, height] as Vec3,
    offset: [x!, y!, height / 2] as Vec3,
    color,
    ...surface,
  }));
}

function corners(x: number, y: number): number[][] {
  return [
    [x, y],
    [-x, y],
    [x, -y],
    [-x, -y],
  ];
}

function templateFor(kind: Kind, random: Random): PartTemplate[] {
  switch (kind) {
    case "sofa": {
      const fabric = random.pick(FABRIC);
      return [
        box("base", [1.8, 0.8, 0.4], [0, 0, 0.2], fabric),
        box("back", [1.8, 0.2, 0.45], [0, 0.3, 0.625], fabric),
        box("arm1", [0.2, 0.8, 0.25], [0.8, 0, 0.525], fabric),
        box("arm2", [0.2, 0.8, 0.25], [-0.8, 0, 0.525], fabric),
      ];
    }
    case "table": {
      const w = random.pick(WOODS);
      return [
        box("top", [1.2, 0.7, 0.05], [0, 0, 0.725], w, wood),
        ...legs(corners(0.55, 0.3), 0.05, 0.7, w),
      ];
    }
    case "chair": {
      const w = random.pick(WOODS);
      return [
        box("seat", [0.45, 0.45, 0.05], [0, 0, 0.475], w, wood),
        box("back", [0.45, 0.05, 0.45], [0, 0.2, 0.725], w, wood),
        ...legs(corners(0.19, 0.19), 0.04, 0.45, w),
      ];
    }
    case "cabinet": {
      const w = random.pick(WOODS);
      return [
        box("body", [0.8, 0.4, 1.0], [0, 0, 0.5], w, wood),
        box("top", [0.84, 0.44, 0.03], [0, 0, 1.015], random.pick(WOODS), wood),
      ];
    }
    case "lamp":
      return [
        {
          suffix: "base",
          shape: "cylinder",
          size: [0.3, 0.3, 0.03],
          offset: [0, 0, 0.015],
          color: STEEL,
          ...metal,
        },
        {
          suffix: "pole",
          shape: "cylinder",
          size: [0.03, 0.03, 1.4],
          offset: [0, 0, 0.73],
          color: STEEL,
          ...metal,
        },
        {
          suffix: "shade",
          shape: "cone",
          size: [0.35, 0.35, 0.3],
          offset: [0, 0, 1.5],
          color: SHADE,
          ...matte,
        },
      ];
  }
}

/** The back wall is four boxes around the window opening; the left wall is one box. */
function walls(windowX: number, color: Vec3): PartTemplate[] {
  const y = BACK_Y + WALL_THICKNESS / 2;
  const t = WALL_THICKNESS;
  const left = windowX - WINDOW.halfWidth;
  const right = windowX + WINDOW.halfWidth;
  const span = (a: number, b: number) => ({ size: b - a, mid: (a + b) / 2 });
  const l = span(LEFT_X - t, left);
  const r = span(right, RIGHT_X);
  const below = span(0, WINDOW.bottom);
  const above = span(WINDOW.top, WALL_HEIGHT);
  const w = 2 * WINDOW.halfWidth;
  const side = span(-2.5, BACK_Y);
  return [
    box("back1", [round(l.size), t, WALL_HEIGHT], [round(l.mid), y, WALL_HEIGHT / 2], color),
    box("back2", [round(r.size), t, WALL_HEIGHT], [round(r.mid), y, WALL_HEIGHT / 2], color),
    box("back3", [w, t, below.size], [windowX, y, below.mid], color),
    box("back4", [w, t, round(above.size)], [windowX, y, round(above.mid)], color),
    box("left", [t, side.size, WALL_HEIGHT], [LEFT_X - t / 2, side.mid, WALL_HEIGHT / 2], color),
  ];
}

export function roomScene(random: Random): BenchScene {
  const windowX = round(random.uniform(-1.2, 1.6), 2);
  const wallColor = linearFromSrgb255(
    random.pick<Vec3>([
      [225, 220, 210],
      [200, 210, 220],
      [230, 215, 190],
    ]),
  );
  const wallParts = placeComposite("wall", walls(windowX, wallColor), [0, 0, 0], 0);
  const objects: SceneObject[] = [...wallParts];
  const composites: Composite[] = [{ ...compositeOf("wall", "wall", wallParts), role: "structure" }];
  const count = random.int(2, 4);
  const kinds = Array.from({ length: count }, () => random.pick(KINDS));
  const spots = scatter(
    random,
    kinds.map((k) => RADIUS[k]),
    { xMin: LEFT_X + 0.1, xMax: RIGHT_X - 0.2, yMin: -1.5, yMax: BACK_Y - 0.05 },
    0.1,
  );
  spots.forEach((spot, i) => {
    const kind = kinds[spot.index]!;
    const name = `${kind}${i + 1}`;
    const yaw = round(random.pick([0, 0, 90, -90]) + random.uniform(-10, 10), 1);
    const parts = placeComposite(name, templateFor(kind, random), [spot.x, spot.y, 0], yaw);
    objects.push(...parts);
    composites.push(compositeOf(name, kind, parts));
  });
  return {
    spec: {
      objects,
      camera: { location: [0.5, -5.2, 1.9], lookAt: [0, 0.6, 0.8], lensMm: 26, sensorMm: 36 },
      sun: {
        elevationDeg: round(random.uniform(25, 45), 1),
        // Behind the back wall so the light falls through the window into the room.
        azimuthDeg: round(random.uniform(70, 110), 1),
        strength: round(random.uniform(4, 6), 2),
        color: [1, 0.95, 0.85],
        angleDeg: 3,
      },
      world: { color: [0.6, 0.65, 0.75], strength: 0.35 },
      ground: { color: random.pick(WOODS), roughness: 0.6, size: 40 },
      exposure: 0,
    },
    composites,
    width: 320,
    height: 240,
  };
}
