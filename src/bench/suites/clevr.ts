/**
 * CLEVR-like scenes (Johnson et al. 2017): 3–6 cubes, spheres and cylinders in two sizes,
 * eight colours, rubber or metal, on a grey ground plane under one sun, seen from CLEVR's
 * raised three-quarter camera at 320×240.
 */
import type { SceneObject } from "../../program/scene-spec.ts";
import type { Random } from "../../random.ts";
import {
  type BenchScene,
  type Composite,
  linearFromSrgb255,
  placeComposite,
  round,
  scatter,
  type Vec3,
} from "./bench-scene.ts";

/** CLEVR's palette (sRGB). */
const COLORS: Record<string, Vec3> = {
  gray: [87, 87, 87],
  red: [173, 35, 35],
  blue: [42, 75, 215],
  green: [29, 105, 20],
  brown: [129, 74, 25],
  purple: [129, 38, 192],
  cyan: [41, 208, 208],
  yellow: [255, 238, 51],
};
const SHAPES = ["cube", "sphere", "cylinder"] as const;
/** Half-widths of CLEVR's small and large objects. */
const SIZES = [0.35, 0.7];

export function clevrScene(random: Random): BenchScene {
  const count = random.int(3, 6);
  const kinds = Array.from({ length: count }, () => ({
    shape: random.pick(SHAPES),
    half: random.pick(SIZES),
    color: random.pick(Object.keys(COLORS)),
    metal: random.next() < 0.5,
    yaw: round(random.uniform(0, 90), 1),
  }));
  const spots = scatter(
    random,
    kinds.map((k) => k.half * Math.SQRT2),
    { xMin: -3, xMax: 3, yMin: -3, yMax: 3 },
    0.15,
  );
  const objects: SceneObject[] = [];
  const composites: Composite[] = [];
  spots.forEach((spot, i) => {
    const k = kinds[spot.index]!;
    const name = `${k.shape}${i + 1}`;
    const d = 2 * k.half;
    const part = placeComposite(
      name,
      [
        {
          suffix: "",
          shape: k.shape,
          size: [d, d, d],
          offset: [0, 0, k.half],
          rotationDeg: [0, 0, k.shape === "sphere" ? 0 : k.yaw],
          color: linearFromSrgb255(COLORS[k.color]!),
          roughness: k.metal ? 0.2 : 0.7,
          metallic: k.metal ? 1 : 0,
        },
      ],
      [spot.x, spot.y, 0],
      0,
    );
    objects.push(...part);
    composites.push({ name, kind: k.shape, role: "object", parts: [name] });
  });
  return {
    spec: {
      objects,
      camera: { location: [7.4, -6.6, 5.5], lookAt: [0, 0, 0.3], lensMm: 50, sensorMm: 36 },
      sun: {
        elevationDeg: round(random.uniform(35, 65), 1),
        azimuthDeg: round(random.uniform(-160, -20), 1),
        strength: round(random.uniform(3, 4.5), 2),
        color: [1, 1, 1],
        angleDeg: 5,
      },
      world: { color: [0.5, 0.5, 0.5], strength: 0.6 },
      ground: { color: [0.35, 0.35, 0.35], roughness: 0.8, size: 40 },
      exposure: 0,
    },
    composites,
    width: 320,
    height: 240,
  };
}
