/**
 * What a stage is, as data: the section and Blender factor it may change, its default
 * round budget (the paper's), and, for the offline method, which PARAMS quantities it
 * tunes and how far. The VLM agent adds its prompts and checklists beside these.
 */
import type { Factor } from "../blender/protocol.ts";
import type { Stage } from "../program/sections.ts";

/**
 * How far the offline search may move a quantity from its starting value:
 * `relative` multiplies (sizes, strengths), `delta` adds (positions, angles),
 * `absolute` is a fixed range (colours, roughness).
 */
export type ParamRange =
  | { kind: "relative"; min: number; max: number }
  | { kind: "delta"; by: number }
  | { kind: "absolute"; min: number; max: number };

export interface OfflineTunable {
  /** The part after the dot in a PARAMS key: `size` in `cube1.size`. */
  quantity: string;
  /** Which things it applies to: scene objects, or one named thing (`camera`, `sun`, `world`, `ground`, `render`). */
  owner: "object" | "camera" | "sun" | "world" | "ground" | "render";
  range: ParamRange;
  /** For vectors, the components tuned (all when omitted): `[2]` tunes only Z of a rotation. */
  components?: readonly number[];
}

/**
 * A move of the offline method besides the numeric search, tried before it:
 * `shape` swaps an object's primitive, `add` places an object where the residual shows one
 * missing, `remove` drops one whose pixels the target shows as background (structural: the
 * whole scene changes), `colour` solves colours in closed form from the target/render ratio,
 * `finish` flips an object between rubber and metal, `ground-contact` stands every object on
 * the ground after its size changed.
 */
export type OfflineMove = "shape" | "add" | "remove" | "colour" | "finish" | "ground-contact";

/** Moves that add, remove or reshape objects, touching every section. */
export const STRUCTURAL_MOVES: readonly OfflineMove[] = ["shape", "add", "remove"];

export interface StageDefinition {
  stage: Stage;
  factor: Factor;
  /** Generator–verifier rounds by default (paper: geometry 5, material 3, composition 3, lighting 2). */
  roundBudget: number;
  offline: {
    tunables: readonly OfflineTunable[];
    /** Moves tried before the numeric search, in order. */
    moves: readonly OfflineMove[];
  };
}
