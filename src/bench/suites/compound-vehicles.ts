/**
 * Vehicles built from primitives, facing +X with their origin on the ground: a bulldozer
 * (body, cab, tracks with road wheels, blade on two push arms) and a truck (chassis, cab,
 * cargo box, wheels on two or three axles). Proportions and colours vary per scene.
 */
import type { Random } from "../../random.ts";
import { type PartTemplate, round, type Vec3 } from "./bench-scene.ts";
import { BRIGHT, DARK, GLASS, METAL, PAINT, PLASTIC, part, RUBBER, STEEL } from "./compound-parts.ts";

/** A wheel: a cylinder turned onto its side so it rolls along X. */
function wheel(suffix: string, diameter: number, width: number, x: number, y: number, color: Vec3) {
  return part(
    suffix,
    "cylinder",
    [diameter, diameter, width],
    [x, y, diameter / 2],
    color,
    RUBBER,
    [90, 0, 0],
  );
}

export function bulldozer(random: Random): PartTemplate[] {
  const paint = random.pick(BRIGHT);
  const length = round(random.uniform(1.8, 2.3), 2);
  const width = round(random.uniform(1.1, 1.4), 2);
  const trackH = round(random.uniform(0.5, 0.65), 2);
  const trackW = 0.32;
  const bodyH = round(random.uniform(0.55, 0.8), 2);
  const bodyZ = trackH - 0.15 + bodyH / 2;
  const cabH = round(random.uniform(0.7, 0.9), 2);
  const cabX = round(-length * 0.22, 3);
  const cabZ = bodyZ + bodyH / 2 + cabH / 2;
  const side = width / 2 + trackW / 2;
  const wheels = random.int(2, 4);
  const span = length * 0.8;
  const road: PartTemplate[] = [1, -1].flatMap((s, k) =>
    Array.from({ length: wheels }, (_, i) => {
      const x = round(-span / 2 + (span * i) / (wheels - 1), 3);
      const y = round(s * (side + trackW / 2 + 0.02), 3);
      return wheel(`wheel${k * wheels + i + 1}`, trackH * 0.7, 0.06, x, y, STEEL);
    }),
  );
  const bladeX = round(length / 2 + 0.35, 3);
  return [
    part("body", "cube", [length, width, bodyH], [0, 0, round(bodyZ, 3)], paint, PAINT),
    part("cab", "cube", [0.9, width * 0.8, cabH], [cabX, 0, round(cabZ, 3)], paint, PAINT),
    part("window", "cube", [0.92, width * 0.7, cabH * 0.45], [cabX, 0, round(cabZ + cabH * 0.1, 3)], GLASS, {
      roughness: 0.1,
      metallic: 0,
    }),
    part(
      "roof",
      "cube",
      [1.0, width * 0.88, 0.07],
      [cabX, 0, round(cabZ + cabH / 2 + 0.035, 3)],
      DARK,
      PAINT,
    ),
    part("track1", "cube", [length * 1.05, trackW, trackH], [0, round(side, 3), trackH / 2], DARK, RUBBER),
    part("track2", "cube", [length * 1.05, trackW, trackH], [0, round(-side, 3), trackH / 2], DARK, RUBBER),
    ...road,
    part(
      "blade",
      "cube",
      [0.14, round(width + 2 * trackW + 0.2, 3), 0.75],
      [bladeX, 0, 0.375],
      paint,
      PAINT,
      [0, -12, 0],
    ),
    part("arm1", "cube", [0.5, 0.1, 0.1], [round(length / 2 + 0.08, 3), round(side, 3), 0.45], DARK, METAL),
    part("arm2", "cube", [0.5, 0.1, 0.1], [round(length / 2 + 0.08, 3), round(-side, 3), 0.45], DARK, METAL),
    part(
      "exhaust",
      "cylinder",
      [0.09, 0.09, 0.55],
      [round(length * 0.3, 3), round(width * 0.25, 3), round(bodyZ + bodyH / 2 + 0.27, 3)],
      DARK,
      METAL,
    ),
  ];
}

export function truck(random: Random): PartTemplate[] {
  const paint = random.pick(BRIGHT);
  const cargoColor = random.pick([STEEL, ...BRIGHT]);
  const length = round(random.uniform(2.8, 3.6), 2);
  const width = round(random.uniform(1.1, 1.3), 2);
  const wheelD = round(random.uniform(0.55, 0.7), 2);
  const chassisZ = round(wheelD * 0.75, 3);
  const cabL = 0.9;
  const cabH = round(random.uniform(0.8, 1.0), 2);
  const cabX = round(length / 2 - cabL / 2, 3);
  const cabZ = round(chassisZ + 0.1 + cabH / 2, 3);
  const cargoL = round(length - cabL - 0.15, 3);
  const cargoH = round(random.uniform(0.9, 1.3), 2);
  const cargoX = round(-length / 2 + cargoL / 2, 3);
  const axles = random.next() < 0.5 ? [0.62, -0.25, -0.4] : [0.62, -0.32];
  const wheels = axles.flatMap((f, i) =>
    [1, -1].map((s, k) =>
      wheel(
        `wheel${2 * i + k + 1}`,
        wheelD,
        0.24,
        round((f * length) / 2, 3),
        round((s * width) / 2, 3),
        DARK,
      ),
    ),
  );
  const front = round(length / 2, 3);
  return [
    part("chassis", "cube", [length, width * 0.8, 0.2], [0, 0, chassisZ], DARK, METAL),
    part("cab", "cube", [cabL, width, cabH], [cabX, 0, cabZ], paint, PAINT),
    part(
      "window",
      "cube",
      [0.04, width * 0.85, cabH * 0.4],
      [front + 0.02, 0, round(cabZ + cabH * 0.15, 3)],
      GLASS,
      {
        roughness: 0.1,
        metallic: 0,
      },
    ),
    part(
      "cargo",
      "cube",
      [cargoL, width * 1.05, cargoH],
      [cargoX, 0, round(chassisZ + 0.1 + cargoH / 2, 3)],
      cargoColor,
      PLASTIC,
    ),
    part("bumper", "cube", [0.12, width * 1.02, 0.16], [front + 0.06, 0, chassisZ], STEEL, METAL),
    ...wheels,
    ...[1, -1].map((s, k) =>
      part(
        `light${k + 1}`,
        "cylinder",
        [0.14, 0.14, 0.04],
        [front + 0.02, round((s * width) / 2 - s * 0.15, 3), round(chassisZ + 0.22, 3)],
        [0.9, 0.85, 0.6],
        PLASTIC,
        [0, 90, 0],
      ),
    ),
  ];
}
