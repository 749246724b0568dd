/**
 * Prompts of `seig edit`: which stage an instruction belongs to, the rewrite of that stage's
 * section, and the check that the instruction was carried out. The rewrite reuses the stages'
 * "what you may change" text, so an edit is held to the same scope as a reconstruction round.
 */

import { blenderApiNotes } from "../agent/prompts/blender-api-notes.ts";
import { promptTag } from "../agent/prompts/tag.ts";
import { SECTION_FUNCTIONS, sectionMarker } from "../program/sections.ts";
import { STAGE_DEFINITIONS, STAGES, type Stage } from "../stages/index.ts";

export const EDIT_PLANNER_SYSTEM =
  "You are an expert Blender technical artist who edits Blender Python scene programs as users ask. " +
  "You answer in the JSON shape you are given.";

export const EDIT_VERIFIER_SYSTEM =
  "You are a meticulous visual checker: you compare renders of a 3D scene before and after an edit and say " +
  "whether the requested change is visible. You answer in the JSON shape you are given.";

export interface EditScene {
  instruction: string;
  /** The program without its footer. */
  body: string;
  /** Scene statistics of the built program (sceneStatsText). */
  stats: string;
  blenderVersion: string;
}

function quoted(instruction: string): string {
  return `"${instruction.replace(/\s+/g, " ").trim()}"`;
}

export function editClassifyText(scene: EditScene): string {
  return [
    promptTag({ kind: "edit-classify" }),
    `A user wants this change to a 3D scene: ${quoted(scene.instruction)}`,
    "The scene is a Blender Python program with four sections; each may change only its own part of the scene:",
    STAGES.map((s) => `- ${s}: ${STAGE_DEFINITIONS[s].prompt.edits}`).join("\n"),
    `The program:\n\`\`\`python\n${scene.body}\`\`\``,
    `The scene as built now:\n${scene.stats}`,
    "Choose the ONE section whose code or PARAMS must change to carry out the instruction " +
      "(a colour or finish is material, a size or shape is geometry, a position, turn or camera move is composition, light and sky are lighting).",
    'Reply with JSON only, in one ```json block: {"stage": "material", "reason": "one sentence"}',
  ].join("\n\n");
}

export interface EditSectionInput extends EditScene {
  stage: Stage;
  call: "edit" | "edit-repair";
  /** PARAMS keys the section reads. */
  ownedKeys: readonly string[];
  /** Why the previous attempt was not kept, when there was one. */
  feedback: string | null;
  /** Why the section was rejected (repairs), else "". */
  preface: string;
}

export function editSectionText(input: EditSectionInput): string {
  const { stage } = input;
  const fn = SECTION_FUNCTIONS[stage];
  return [
    promptTag({ kind: input.call, stage }),
    input.preface,
    `Edit the scene as the user asks: ${quoted(input.instruction)}`,
    `This is a ${stage} edit. You may change: ${STAGE_DEFINITIONS[stage].prompt.edits}`,
    "Edits outside this section's factor are detected from the built scene and rejected. Change only what the instruction asks; keep everything else exactly as it is.",
    blenderApiNotes(input.blenderVersion),
    `Current program (you rewrite only its \`${sectionMarker(stage)}\` section):\n\`\`\`python\n${input.body}\`\`\``,
    `PARAMS your section owns: ${JSON.stringify(input.ownedKeys)}`,
    `The scene as built now:\n${input.stats}`,
    input.feedback ? `About your previous attempt: ${input.feedback}` : "",
    `Reply with brief reasoning, then the COMPLETE new section as one \`\`\`python block starting with \`def ${fn}(P):\` (without the marker line). ` +
      'To change PARAMS values, or add keys your section reads, also send one ```json block {"params": {"key": value}}; keys other sections read cannot change.',
  ]
    .filter(Boolean)
    .join("\n\n");
}

export interface EditVerifyInput {
  instruction: string;
  stage: Stage;
  /** What the built scene shows changed, e.g. "changed red_box_mat (material)". */
  changes: string;
  /** Unified diff of the section and PARAMS. */
  diff: string;
}

export function editVerifyText(input: EditVerifyInput): string {
  return [
    promptTag({ kind: "edit-verify", stage: input.stage }),
    `A user asked for this change to a 3D scene: ${quoted(input.instruction)}`,
    "You see a render before and a render after the edit, each through the program's own camera.",
    `What changed in the built scene: ${input.changes || "nothing"}.`,
    `The program change:\n\`\`\`diff\n${input.diff.trim()}\n\`\`\``,
    "Was the instruction carried out, as far as the renders show? Judge only the instruction: that nothing else changed is expected. " +
      "Say no when the change is missing, is the wrong one, or goes clearly the wrong way.",
    'Reply with JSON only, in one ```json block: {"carried_out": true, "reason": "one sentence"}',
  ].join("\n\n");
}
