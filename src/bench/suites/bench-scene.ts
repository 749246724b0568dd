/**
 * What a benchmark suite generates: a SceneSpec plus the grouping of its primitives into
 * the things a person would count (a mug is a body and a handle). Parts of one composite
 * share the composite's name as a prefix (`mug1_body`, `mug1_handle`), which is also how a
 * reconstruction's objects are grouped when it is scored.
 */
import type { SceneObject, SceneSpec, Shape } from "../../program/scene-spec.ts";
import type { Random } from "../../random.ts";

export type Vec3 = [number, number, number];

export interface Composite {
  name: string;
  /** What it is: "cube", "mug", "sofa", "wall"… */
  kind: string;
  /** Objects are scored; structure (walls) is the room the objects stand in. */
  role: "object" | "structure";
  parts: string[];
}

export interface BenchScene {
  spec: SceneSpec;
  composites: Composite[];
  width: number;
  height: number;
}

export type SuiteGenerator = (random: Random) => BenchScene;

/** One primitive of a composite, in the composite's own frame (origin on the floor, Z up). */
export interface PartTemplate {
  suffix: string;
  shape: Shape;
  size: Vec3;
  offset: Vec3;
  rotationDeg?: Vec3;
  color: Vec3;
  roughness: number;
  metallic: number;
}

/** Places a composite: yaw about Z around the composite origin, then translate. */
export function placeComposite(
  name: string,
  parts: readonly PartTemplate[],
  origin: Vec3,
  yawDeg: number,
): SceneObject[] {
  const yaw = (yawDeg * Math.PI) / 180;
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return parts.map((p) => {
    const [x, y, z] = p.offset;
    const rot = p.rotationDeg ?? [0, 0, 0];
    return {
      name: p.suffix ? `${name}_${p.suffix}` : name,
      shape: p.shape,
      size: p.size,
      location: [round(origin[0] + c * x - s * y), round(origin[1] + s * x + c * y), round(origin[2] + z)],
      rotationDeg: [rot[0], rot[1], round(rot[2] + yawDeg)],
      color: p.color,
      roughness: p.roughness,
      metallic: p.metallic,
    };
  });
}

export function compositeOf(name: string, kind: string, objects: readonly SceneObject[]): Composite {
  return { name, kind, role: "object", parts: objects.map((o) => o.name) };
}

/** sRGB 0–255 → linear RGB, because SceneSpec colours are linear. */
export function linearFromSrgb255(rgb: Vec3): Vec3 {
  return rgb.map((v) => {
    const c = v / 255;
    return round(c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }) as Vec3;
}

/** Rounded numbers keep programs and truth files short and stable. */
export function round(v: number, decimals = 4): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/**
 * Rejection-samples footprint centres that keep `radius[i] + radius[j] + gap` apart inside
 * a rectangle; objects that find no room are dropped, so the result may be shorter.
 */
export function scatter(
  random: Random,
  radii: readonly number[],
  bounds: { xMin: number; xMax: number; yMin: number; yMax: number },
  gap: number,
): { index: number; x: number; y: number }[] {
  const placed: { index: number; x: number; y: number }[] = [];
  radii.forEach((r, index) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const x = round(random.uniform(bounds.xMin + r, bounds.xMax - r), 3);
      const y = round(random.uniform(bounds.yMin + r, bounds.yMax - r), 3);
      const clear = placed.every((p) => Math.hypot(p.x - x, p.y - y) >= r + radii[p.index]! + gap);
      if (clear) {
        placed.push({ index, x, y });
        return;
      }
    }
  });
  return placed;
}
