/**
 * The "flat" benchmark method: the floor every method must beat (DESIGN.md §5b compares runs with
 * the flat mean-colour image). Its scene program is a camera looking at a world of the photo's mean
 * colour and nothing else, rendered once by Blender at the target's size: no search, one render,
 * so it is also the cheapest real job a benchmark (or the queue's tests) can run.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadImage } from "../image/load.ts";
import { srgbToLinear } from "../offline/analysis/colour.ts";
import { programBody } from "../program/assemble.ts";
import { emitProgram } from "../program/emit.ts";
import { PROGRAM } from "./generate.ts";
import type { Method } from "./methods.ts";

function meanColour(data: Float32Array): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i++) sum[i % 3]! += data[i]!;
  const n = data.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

export const flatMethod: Method = async (targetPath, outDir, { pool }) => {
  const target = await loadImage(targetPath);
  const [r, g, b] = meanColour(target.data).map(srgbToLinear) as [number, number, number];
  const source = emitProgram(
    {
      objects: [],
      camera: { location: [0, -6, 2], lookAt: [0, 0, 0] },
      sun: { elevationDeg: 45, azimuthDeg: 0, strength: 0 },
      world: { color: [r, g, b], strength: 1 },
    },
    { source: path.basename(targetPath) },
  );
  await writeFile(path.join(outDir, PROGRAM), source);
  const reply = await pool.run({
    body: programBody(source),
    outDir,
    render: { width: target.width, height: target.height, samples: 1, seed: 0, views: [{ name: "final" }] },
  });
  if (!reply.ok) throw new Error(`flat render failed: ${reply.error?.message ?? "no reason given"}`);
};
