/** A small scene spec and its emitted program, shared by the program tests. */
import { emitProgram } from "../src/program/emit.ts";
import type { SceneSpecInput } from "../src/program/scene-spec.ts";

export const SPEC: SceneSpecInput = {
  objects: [
    { name: "mug", shape: "cylinder", size: [0.4, 0.4, 0.5], location: [0, 0, 0.25], color: [0.8, 0.1, 0.1] },
    {
      name: "ball",
      shape: "sphere",
      size: [0.3, 0.3, 0.3],
      location: [0.6, 0.2, 0.15],
      color: [0.1, 0.2, 0.9],
      metallic: 1,
    },
  ],
  camera: { location: [3, -3, 2], lookAt: [0, 0, 0.3] },
  sun: { elevationDeg: 40, azimuthDeg: 30, strength: 3 },
  world: { color: [0.5, 0.6, 0.7] },
  ground: { color: [0.5, 0.5, 0.5] },
};

export function sampleProgram(): string {
  return emitProgram(SPEC, { source: "photo.jpg" });
}

/** 1-based line number of the first line containing `text`. */
export function lineOf(source: string, text: string): number {
  const index = source.indexOf(text);
  if (index < 0) throw new Error(`fixture: "${text}" not found`);
  return source.slice(0, index).split("\n").length;
}
