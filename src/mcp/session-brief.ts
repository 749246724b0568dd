/**
 * What the assistant is told about the session's current stage: the same goal, edit scope and
 * checklist the VLM agent's generator and verifier get (src/stages/<stage>.ts), the section to
 * rewrite, the PARAMS it owns, the program and the scene as built.
 */

import { blenderApiNotes } from "../agent/prompts/blender-api-notes.ts";
import { scopeRules } from "../agent/prompts/scope.ts";
import { sceneStatsText } from "../agent/scene-stats.ts";
import { keysOwnedBy } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import { SECTION_FUNCTIONS, sectionMarker } from "../program/sections.ts";
import { STAGE_DEFINITIONS, type Stage } from "../stages/index.ts";
import type { Scored } from "./session-render.ts";

export interface StageBrief {
  stage: Stage;
  goal: string;
  mayEdit: string;
  checklist: string[];
  ignore: string;
  sectionFunction: string;
  ownedParams: Record<string, unknown>;
  text: string;
}

export function stageBrief(stage: Stage, best: Scored, blenderVersion: string): StageBrief {
  const prompt = STAGE_DEFINITIONS[stage].prompt;
  const program = parseProgram(best.source);
  const fn = SECTION_FUNCTIONS[stage];
  const owned = Object.fromEntries(keysOwnedBy(program, stage).map((k) => [k, program.params[k]]));
  const text = [
    `Stage: ${stage}. Goal: ${prompt.goal}.`,
    `You may change: ${prompt.edits}`,
    `Check the current render against the target for: ${prompt.checks.map((c) => `\n- ${c}`).join("")}`,
    `Ignore here (other stages own it): ${prompt.ignore}.`,
    scopeRules(stage),
    "A submission that scores worse than the current scene is reported but not kept unless you insist.",
    blenderApiNotes(blenderVersion),
    `Current ${sectionMarker(stage)} section:\n\`\`\`python\n${program.sections[stage].trimEnd()}\n\`\`\``,
    `PARAMS this section owns: ${JSON.stringify(owned)}`,
    `The scene as built now:\n${sceneStatsText(best.objects)}`,
    `Submit the COMPLETE new section with submit_section: code starting with \`def ${fn}(P):\` (without the marker line), and optionally \`params\` (values for keys this section owns, or new keys it reads).`,
  ].join("\n\n");
  return {
    stage,
    goal: prompt.goal,
    mayEdit: prompt.edits,
    checklist: [...prompt.checks],
    ignore: prompt.ignore,
    sectionFunction: fn,
    ownedParams: owned,
    text,
  };
}
