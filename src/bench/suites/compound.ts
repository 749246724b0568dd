/**
 * The compound objects the object and closeup suites show one at a time, each a template
 * of 5–20 primitives in its own frame (facing +X, origin on the ground).
 */
import type { Random } from "../../random.ts";
import type { PartTemplate } from "./bench-scene.ts";
import { bust, robot } from "./compound-figures.ts";
import { chair, lamp, mug, table } from "./compound-household.ts";
import { bulldozer, truck } from "./compound-vehicles.ts";

export type CompoundKind = "bulldozer" | "truck" | "chair" | "table" | "lamp" | "mug" | "robot" | "bust";

export const COMPOUNDS: Readonly<Record<CompoundKind, (random: Random) => PartTemplate[]>> = {
  bulldozer,
  truck,
  chair,
  table,
  lamp,
  mug,
  robot,
  bust,
};

export const COMPOUND_KINDS = Object.keys(COMPOUNDS) as CompoundKind[];
