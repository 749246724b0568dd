/** The generator's request for an edited section: the agent's candidate machinery with the edit's prompt. */
import type { SectionRequest } from "../agent/candidate.ts";
import type { Attempt } from "../agent/execute.ts";
import { keysOwnedBy } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import type { Stage } from "../stages/index.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { type EditScene, editSectionText } from "./edit-prompts.ts";

export function editSectionRequest(
  stage: Stage,
  base: Attempt,
  scene: EditScene,
  feedback: string | null,
): SectionRequest {
  const ownedKeys = keysOwnedBy(parseProgram(base.source), stage);
  const kind = (call: "stage" | "repair") => (call === "stage" ? "edit" : "edit-repair");
  return {
    stage,
    base,
    purpose: (call) => `${kind(call)}:${stage}`,
    parts: (call, preface) => [
      textPart(editSectionText({ ...scene, stage, call: kind(call), ownedKeys, feedback, preface })),
      imagePart("The scene as rendered now (before the edit):", base.render),
    ],
  };
}
