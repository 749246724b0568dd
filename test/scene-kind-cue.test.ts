/** The frame's cue for the kind of scene (no Blender): backdrop, close-up, ground; and parts grouped by touching regions. */
import { describe, expect, it } from "vitest";
import { rgbImage } from "../src/image/types.ts";
import { namedAsParts, touchingGroups } from "../src/offline/analysis/floating.ts";
import { sceneKindCue } from "../src/offline/analysis/scene-kind-cue.ts";
import type { Segment } from "../src/offline/analysis/segment.ts";
import { groundPlan, kindRecord } from "../src/offline/kind-plan.ts";

type Paint = (x: number, y: number) => [number, number, number] | null;

function image(width: number, height: number, background: Paint, ...layers: Paint[]) {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let c = background(x, y)!;
      for (const layer of layers) c = layer(x, y) ?? c;
      data.set(c, (y * width + x) * 3);
    }
  return rgbImage(width, height, data, "painted");
}

const white: Paint = () => [1, 1, 1];
const box =
  (x0: number, y0: number, x1: number, y1: number, c: [number, number, number]): Paint =>
  (x, y) =>
    x >= x0 && x < x1 && y >= y0 && y < y1 ? c : null;

function segment(img: { width: number }, x0: number, y0: number, x1: number, y1: number): Segment {
  const pixels: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) pixels.push(y * img.width + x);
  return { pixels, minX: x0, maxX: x1 - 1, minY: y0, maxY: y1 - 1, mean: [0.5, 0.5, 0.5] };
}

describe("scene kind from the frame", () => {
  it("an object inside a plain border is an object scene", () => {
    const cue = sceneKindCue(image(80, 60, white, box(25, 15, 55, 45, [0.8, 0.2, 0.1])));
    expect(cue.kind).toBe("object");
    expect(cue.backdrop[0]).toBeCloseTo(1, 2);
    expect(cue.edgesCrossed).toEqual([]);
  });

  it("a subject crossing two edges of a plain frame is a close-up", () => {
    const cue = sceneKindCue(image(80, 60, () => [0.05, 0.05, 0.08], box(40, 25, 80, 60, [0.7, 0.3, 0.4])));
    expect(cue.kind).toBe("closeup");
    expect(cue.edgesCrossed.sort()).toEqual(["bottom", "right"]);
  });

  it("a ground brightening towards the camera is a ground scene, and so are many things on a plain surface", () => {
    const ramp: Paint = (_x, y) => [0.3 + y / 120, 0.3 + y / 120, 0.3 + y / 120];
    expect(sceneKindCue(image(80, 60, ramp, box(30, 20, 45, 35, [0.1, 0.6, 0.2]))).kind).toBe("ground");
    const desk = image(
      80,
      60,
      () => [0.6, 0.45, 0.3],
      box(5, 5, 15, 15, [0.1, 0.1, 0.9]),
      box(30, 10, 40, 20, [0.9, 0.1, 0.1]),
      box(55, 30, 70, 40, [0.9, 0.9, 0.1]),
      box(20, 40, 30, 50, [0.1, 0.9, 0.9]),
    );
    expect(sceneKindCue(desk).kind).toBe("ground");
  });

  it("the kind record says what decided it: the cue, the camera's pitch, or the option", () => {
    expect(kindRecord("auto", "ground", "x", 75).kind).toBe("topdown");
    expect(kindRecord("auto", "ground", "x", 30).kind).toBe("ground");
    expect(kindRecord("auto", "object", "x", 30)).toMatchObject({ kind: "object", source: "detected" });
    expect(kindRecord("closeup", "ground", "x", 30)).toMatchObject({ kind: "closeup", source: "option" });
  });

  it("a ground without a horizon is searched from the usual raised view to straight down; --scene-kind halves the range", () => {
    const bg = { rows: [], horizonRow: 0, sky: null, ground: [0.5, 0.5, 0.5] as [number, number, number] };
    const pitches = (choice: "auto" | "ground" | "topdown") =>
      groundPlan(choice, bg, 80, 60).grid.map((g) => g.pitch);
    expect(Math.max(...pitches("auto"))).toBeGreaterThanOrEqual(89);
    expect(Math.min(...pitches("auto"))).toBeLessThan(35);
    expect(Math.min(...pitches("topdown"))).toBeGreaterThanOrEqual(60);
    expect(Math.max(...pitches("ground"))).toBeLessThan(60);
  });
});

describe("parts of one thing", () => {
  it("touching regions are named as parts of one thing; a separate region stays a thing of its own", () => {
    const img = { width: 40 };
    const segments = [segment(img, 5, 5, 15, 15), segment(img, 15, 5, 25, 10), segment(img, 30, 30, 35, 35)];
    const groups = touchingGroups(segments, 40, 40);
    expect(groups[0]).toBe(groups[1]);
    expect(groups[2]).not.toBe(groups[0]);
    const object = (name: string) => ({
      name,
      shape: "cube" as const,
      size: [1, 1, 1] as [number, number, number],
      location: [0, 0, 0] as [number, number, number],
      rotationDeg: [0, 0, 0] as [number, number, number],
      color: [0.5, 0.5, 0.5] as [number, number, number],
      roughness: 0.5,
      metallic: 0,
    });
    const named = namedAsParts([object("cube1"), object("cube2"), object("cube3")], [0, 1, 2], groups);
    expect(named.map((o) => o.name)).toEqual(["thing1_cube1", "thing1_cube2", "cube3"]);
  });
});
