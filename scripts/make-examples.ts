/**
 * Regenerates the example scene programs under examples/ from their scene specs, so the
 * examples always match what emitProgram writes. Run: npx tsx scripts/make-examples.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import { emitProgram } from "../src/program/emit.ts";
import type { SceneSpecInput } from "../src/program/scene-spec.ts";

const EXAMPLES: Record<string, SceneSpecInput> = {
  tabletop: {
    objects: [
      {
        name: "red_box",
        shape: "cube",
        size: [0.8, 0.8, 0.8],
        location: [-0.9, 0.3, 0.4],
        rotationDeg: [0, 0, 20],
        color: [0.8, 0.05, 0.04],
        roughness: 0.6,
      },
      {
        name: "steel_ball",
        shape: "sphere",
        size: [0.7, 0.7, 0.7],
        location: [0.5, -0.6, 0.35],
        color: [0.75, 0.75, 0.78],
        roughness: 0.2,
        metallic: 1,
      },
      {
        name: "green_can",
        shape: "cylinder",
        size: [0.5, 0.5, 1.1],
        location: [0.7, 0.8, 0.55],
        color: [0.1, 0.5, 0.12],
        roughness: 0.4,
      },
      {
        name: "yellow_cone",
        shape: "cone",
        size: [0.6, 0.6, 0.9],
        location: [-0.2, -1.3, 0.45],
        color: [0.9, 0.7, 0.05],
        roughness: 0.5,
      },
    ],
    camera: { location: [5.5, -5, 3.6], lookAt: [0, 0, 0.4], lensMm: 40 },
    sun: { elevationDeg: 45, azimuthDeg: 210, strength: 3, angleDeg: 8 },
    world: { color: [0.55, 0.65, 0.8], strength: 0.6 },
    ground: { color: [0.6, 0.55, 0.48], roughness: 0.9, size: 30 },
    exposure: 0,
  },
};

for (const [name, spec] of Object.entries(EXAMPLES)) {
  const dir = new URL(`../examples/${name}/`, import.meta.url);
  await mkdir(dir, { recursive: true });
  // 320×240, the size of the bundled example photos.
  const program = emitProgram(spec, {
    source: `examples/${name}/scene.json`,
    resolution: { width: 320, height: 240 },
  });
  await writeFile(new URL("program.py", dir), program);
  await writeFile(new URL("scene.json", dir), JSON.stringify(spec, null, 2) + "\n");
  console.log(`wrote examples/${name}/program.py and scene.json`);
}
