/** The offline moves by name (src/stages/stage.ts lists which stage uses which). */
import type { OfflineMove } from "../../stages/stage.ts";
import { addObjects } from "./add-objects.ts";
import type { Move } from "./edits.ts";
import { finishFlip } from "./finish.ts";
import { groundContact } from "./ground-contact.ts";
import { ratioColour } from "./ratio-colour.ts";
import { removeObjects } from "./remove-objects.ts";
import { shapeSwap } from "./shape-swap.ts";

export const MOVES: Readonly<Record<OfflineMove, Move>> = {
  shape: shapeSwap,
  add: addObjects,
  remove: removeObjects,
  colour: ratioColour,
  finish: finishFlip,
  "ground-contact": groundContact,
};
