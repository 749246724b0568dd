/**
 * What each stage may write, said up front in its prompts the way the scope check judges it
 * (src/agent/scope-check.ts): the section's own writes are checked as well as the built scene, and
 * quantities that follow from the stage's own change are allowed. The per-stage rule is in the
 * stage's file (src/stages/<stage>.ts).
 */
import { STAGE_DEFINITIONS, type Stage } from "../../stages/index.ts";

export function scopeRules(stage: Stage): string {
  return `Scope: ${STAGE_DEFINITIONS[stage].prompt.scope} Both what your section's code writes and the built scene are checked: a write outside the stage is rejected even when a later section would overwrite it, and the rejection names the property, the object and the stage that owns it.`;
}
