/** The generator's prompt for one stage round: what it sees and what it must send back. */
import { assembleProgram, programBody } from "../program/assemble.ts";
import { compactProgram } from "../program/compact.ts";
import { keysOwnedBy } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import { SECTION_FUNCTIONS, sectionMarker } from "../program/sections.ts";
import { STAGE_DEFINITIONS, type Stage } from "../stages/index.ts";
import { imagePart, type Part, textPart } from "../vlm/message.ts";
import { type ChecklistItem, checklistText } from "./checklist.ts";
import type { Attempt } from "./execute.ts";
import { blenderApiNotes } from "./prompts/blender-api-notes.ts";
import { scopeRules } from "./prompts/scope.ts";
import type { SceneGraph } from "./scene-graph.ts";
import { sceneStatsText } from "./scene-stats.ts";

export interface GeneratorInput {
  stage: Stage;
  base: Attempt;
  comparisonPng: string;
  targetPng: string;
  checklist: readonly ChecklistItem[];
  /** Why the previous round's candidate was not kept, if it was not. */
  feedback: string | null;
  sceneGraph: SceneGraph;
  blenderVersion: string;
}

/** The program as a prompt about `stage` shows it: that section in full, the rest shortened. */
export function compactBody(source: string, stage: Stage): string {
  return programBody(assembleProgram(compactProgram(parseProgram(source), stage)));
}

export function generatorBody(input: GeneratorInput): { text: string; images: Part[] } {
  const { stage } = input;
  const prompt = STAGE_DEFINITIONS[stage].prompt;
  const program = parseProgram(input.base.source);
  const fn = SECTION_FUNCTIONS[stage];
  const text = [
    `Stage: ${stage}. Goal: ${prompt.goal}.`,
    `You may change: ${prompt.edits}`,
    scopeRules(stage),
    blenderApiNotes(input.blenderVersion),
    `Scene graph (keep these object names):\n\`\`\`json\n${JSON.stringify(input.sceneGraph)}\n\`\`\``,
    `Current program (you rewrite only its \`${sectionMarker(stage)}\` section; helper bodies and the other sections are shortened to \`...\`, they are unchanged and run as they are):\n\`\`\`python\n${compactBody(input.base.source, stage)}\`\`\``,
    `PARAMS your section owns: ${JSON.stringify(keysOwnedBy(program, stage))}`,
    `The scene as built now:\n${sceneStatsText(input.base.objects)}`,
    input.checklist.length
      ? `Verifier checklist from the previous round (fix these):\n${checklistText(input.checklist)}`
      : "Verifier checklist from the previous round: none.",
    input.feedback ? `About your previous candidate: ${input.feedback}` : "",
    `Reply with brief reasoning, then the COMPLETE new section as one \`\`\`python block starting with \`def ${fn}(P):\` (without the marker line). ` +
      'To change PARAMS values, or add keys your section reads, also send one ```json block {"params": {"key": value}}; keys other sections read cannot change.',
  ]
    .filter(Boolean)
    .join("\n\n");
  return {
    text,
    images: [
      imagePart("Target photo:", input.targetPng),
      imagePart("Current render:", input.base.render),
      imagePart("Side by side (target left, current render right):", input.comparisonPng),
    ],
  };
}

export function generatorParts(tag: string, input: GeneratorInput, preface = ""): Part[] {
  const body = generatorBody(input);
  return [textPart([tag, preface, body.text].filter(Boolean).join("\n\n")), ...body.images];
}
