/** Prompts that ask for a whole program: a scaffold from the scene graph, or the one-shot baseline. */

import type { VlmRequest } from "../vlm/client.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { blenderApiNotes } from "./prompts/blender-api-notes.ts";
import { exampleProgram, PROGRAM_RULES } from "./prompts/program-format.ts";
import { GENERATOR_SYSTEM } from "./prompts/system.ts";

const FORMAT = `${PROGRAM_RULES}\n\nA complete example (its header helpers may be reused as they are):\n\`\`\`python\n${exampleProgram()}\`\`\``;

export function scaffoldRequest(
  tag: string,
  sceneGraphJson: string,
  targetPng: string,
  blenderVersion: string,
  maxOutputTokens: number,
): VlmRequest {
  const text = [
    tag,
    "Write a scaffold scene program that reconstructs the target photo in Blender, following this scene graph. Build every leaf of the graph as an object with exactly its name, on the right support, in the rough layout, seen through a camera like the photo's, under one plausible light.",
    `Scene graph:\n\`\`\`json\n${sceneGraphJson}\n\`\`\``,
    FORMAT,
    blenderApiNotes(blenderVersion),
    "Reply with the complete program (header, PARAMS, the four sections, the end marker) in one ```python block.",
  ].join("\n\n");
  return {
    purpose: "scaffold",
    system: GENERATOR_SYSTEM,
    parts: [textPart(text), imagePart("Target photo:", targetPng)],
    maxOutputTokens,
    // Rollouts are meant to differ.
    temperature: 1,
  };
}

export function oneShotRequest(
  tag: string,
  targetPng: string,
  blenderVersion: string,
  maxOutputTokens: number,
): VlmRequest {
  const text = [
    tag,
    "Write a scene program that reconstructs the target photo in Blender: every visible object approximated with primitives, with its shape, size, colour and material, where it stands, the camera, and the lighting. This is your only chance: get everything right in one program.",
    FORMAT,
    blenderApiNotes(blenderVersion),
    "Reply with the complete program (header, PARAMS, the four sections, the end marker) in one ```python block.",
  ].join("\n\n");
  return {
    purpose: "one-shot",
    system: GENERATOR_SYSTEM,
    parts: [textPart(text), imagePart("Target photo:", targetPng)],
    maxOutputTokens,
    temperature: 0,
  };
}
