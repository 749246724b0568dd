/** Material move: object and ground colours solved in closed form (analysis/colour-ratio.ts), kept when better. */
import { ratioColours } from "../analysis/colour-ratio.ts";
import { backdropOf, incumbentFrom, type Move, sceneOf, scoreWithinBudget } from "./edits.ts";

export const ratioColour: Move = async (ctx, inc) => {
  const scene = await sceneOf(inc);
  if (!scene || !ctx.budget.fits(2)) return inc;
  const backdrop = await backdropOf(ctx, scene.spec, inc.level);
  if (!backdrop) return inc;
  const [scored] = await scoreWithinBudget(
    ctx,
    [ratioColours(scene.spec, inc.level.target, scene.render, backdrop)],
    inc.level,
  );
  return scored && scored.loss < inc.loss ? incumbentFrom(scored, inc.level) : inc;
};
