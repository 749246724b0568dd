/** The `reconstruct_photo` prompt: walks an assistant through the staged loop with seig's tools. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export function promptText(photo: string): string {
  return [
    `Reconstruct the photo \`${photo}\` as an editable Blender scene program with seig's staged method. You are the generator and the verifier; seig renders in a sandbox, checks scope and scores.`,
    `1. Call start_session with photo "${photo}". Look at the side-by-side image (target left, scaffold right).`,
    "2. For each stage (geometry → material → composition → lighting):",
    "   a. Call get_stage_brief. Read the goal, what the stage may edit, the checklist and the PARAMS it owns; compare the target and the current render against the checklist.",
    "   b. Write the complete section function for this stage and call submit_section (put numeric changes in `params` where the section reads PARAMS). Only this stage's factor may change: an edit that moves, recolours or relights something outside the stage is rejected with what it changed.",
    "   c. Read the outcome. `kept` means it scored better (PSNR up, loss down). `regression` means it scored worse and was not kept: fix the cause, or resubmit with insist: true only if you are sure the picture is closer to the photo despite the number. `invalid`/`error`/`out-of-scope` tell you exactly what to fix.",
    "   d. When nothing in the checklist is still wrong (or two submissions in a row do not help), call next_stage.",
    "3. Call finish_session. Report the final PSNR, the run folder, and what still differs from the photo.",
    "Keep object names stable across stages; use only bpy, bmesh, mathutils, math and random; never read the photo's pixels from the program.",
  ].join("\n");
}

export function registerPrompt(server: McpServer): void {
  server.registerPrompt(
    "reconstruct_photo",
    {
      title: "Reconstruct a photo, stage by stage",
      description:
        "Drive seig's staged method yourself: scaffold, geometry, material, composition, lighting.",
      argsSchema: { photo: z.string().describe("the photo's path, relative to the workspace root") },
    },
    ({ photo }) => ({ messages: [{ role: "user", content: { type: "text", text: promptText(photo) } }] }),
  );
}
