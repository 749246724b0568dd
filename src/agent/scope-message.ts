/** A scope rejection the generator can act on: what it changed, who owns it, and how to stay in scope. */
import type { Stage } from "../stages/index.ts";
import type { ScopeProblem } from "./scope-check.ts";

function hint(stage: Stage, p: ScopeProblem): string {
  if (stage === "geometry" && p.property === "scale")
    return "compose() sets this object's scale, so change the mesh itself (the size PARAMS key or the primitive's vertices) instead of obj.scale or obj.dimensions";
  if (stage === "geometry" && p.owner === "composition")
    return "leave placement to compose(); change the mesh or its size key only (a resting height that follows from compose() reading that size is allowed)";
  if (stage === "composition" && p.owner === "geometry")
    return "resizing is the geometry stage's work; place, turn and support objects only";
  if (p.owner === "composition")
    return `do not set transforms in the ${stage} section; compose() places objects`;
  return `leave the ${p.property} to the ${p.owner} stage and change only ${stage} here`;
}

export function describeScope(stage: Stage, problems: readonly ScopeProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.where === "section" ? `your ${stage} code writes` : "the built scene changed";
    return `- ${where} the ${p.property} of ${p.object}, which the ${p.owner} stage owns: ${hint(stage, p)}.`;
  });
  return `The ${stage} stage may change only ${stage}, but this candidate went outside it (writes are checked even when a later section overwrites them):\n${lines.join("\n")}`;
}
