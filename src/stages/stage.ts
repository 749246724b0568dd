/**
 * What a stage is, as data. A stage is at once a section of the scene program, a Blender
 * factor the fingerprint tells apart, and a step of both methods. Everything about one
 * stage — its section function, the PARAMS it owns, its round budget, the offline search's
 * tunables and moves, and what the VLM is told and checks — sits in its own file
 * (src/stages/<stage>.ts), so changing a stage's scope is a one-file edit.
 */

/** The four stages in the paper's order; the program's sections come in this order too. */
export const STAGES = ["geometry", "material", "composition", "lighting"] as const;
export type Stage = (typeof STAGES)[number];

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** What a PARAMS key names before the dot: a scene object, or one of the named things. */
export type ParamOwner = "object" | "camera" | "sun" | "world" | "ground" | "render";

/** A PARAMS quantity a stage owns: `size` of every object is `{ owner: "object", quantity: "size" }`. */
export interface OwnedParam {
  owner: ParamOwner;
  /** The part after the dot in a PARAMS key: `size` in `cube1.size`. */
  quantity: string;
}

/**
 * How far the offline search may move a quantity from its starting value:
 * `relative` multiplies (sizes, strengths), `delta` adds (positions, angles),
 * `absolute` is a fixed range (colours, roughness).
 */
export type ParamRange =
  | { kind: "relative"; min: number; max: number }
  | { kind: "delta"; by: number }
  | { kind: "absolute"; min: number; max: number };

export interface OfflineTunable extends OwnedParam {
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

/** What the VLM is told about a stage, and what its verifier checks. */
export interface StagePrompt {
  /** One sentence: what this stage gets right. */
  goal: string;
  /** What the generator may change (and, by omission, may not). */
  edits: string;
  /** The verifier's checklist focus: the only discrepancies it reports. */
  checks: readonly string[];
  /** Things that belong to other stages, which the verifier must ignore. */
  ignore: string;
  /** What the section may write, said the way the scope check judges it (src/agent/scope-check.ts). */
  scope: string;
}

export interface StageDefinition {
  stage: Stage;
  /** The Python function that is this stage's section of the program. */
  section: string;
  /** Generator–verifier rounds by default (paper: geometry 5, material 3, composition 3, lighting 2). */
  roundBudget: number;
  /** The PARAMS quantities generated programs give this stage; emitted in this order. */
  params: readonly OwnedParam[];
  offline: {
    /** Owned quantities the numeric search tunes, and how far. */
    tunables: readonly OfflineTunable[];
    /** Moves tried before the numeric search, in order. */
    moves: readonly OfflineMove[];
  };
  prompt: StagePrompt;
}
