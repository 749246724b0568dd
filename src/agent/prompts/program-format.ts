/**
 * How the scene program is explained to a model: the rules of docs/program-format.md in short, and
 * a complete example written by emitProgram, whose header holds helpers a model may reuse.
 */
import { programBody } from "../../program/assemble.ts";
import { emitProgram } from "../../program/emit.ts";
import { END_MARKER, SECTION_FUNCTIONS, sectionMarker } from "../../program/sections.ts";
import { STAGES } from "../../stages/index.ts";

const EXAMPLE = emitProgram(
  {
    objects: [
      {
        name: "mug",
        shape: "cylinder",
        size: [0.8, 0.8, 1.0],
        location: [0, 0, 0.5],
        color: [0.8, 0.1, 0.1],
        roughness: 0.3,
      },
      {
        name: "ball",
        shape: "sphere",
        size: [0.5, 0.5, 0.5],
        location: [1.0, 0.4, 0.25],
        color: [0.1, 0.3, 0.9],
      },
    ],
    camera: { location: [4, -4, 3], lookAt: [0.3, 0, 0.4], lensMm: 40 },
    sun: { elevationDeg: 40, azimuthDeg: 210, strength: 3 },
    world: { color: [0.6, 0.7, 0.8], strength: 0.8 },
    ground: { color: [0.55, 0.5, 0.45] },
  },
  { source: "an example photo" },
);

export const PROGRAM_RULES = [
  "A scene program is one Python file in this fixed shape:",
  "1. Header: a version comment, imports (only bpy, bmesh, mathutils, math, random) and helper functions.",
  "2. `PARAMS = {...}`: a JSON object literal (double quotes, numbers, lists; no True/False/None, no comments) holding every continuous quantity, keyed `<object>.<quantity>`.",
  `3. Four sections in this order, each opened by its marker line and defining its function taking the PARAMS dict P: ${STAGES.map((s) => `\`${sectionMarker(s)}\` → \`def ${SECTION_FUNCTIONS[s]}(P):\``).join(", ")}.`,
  `4. The line \`${END_MARKER}\` and nothing after it (seig appends the canonical footer that clears the scene, calls the four functions in order and renders).`,
  'Sections read numbers as P["key"]; a key belongs to the sections that read it. Object names are lower_snake_case and stay the same in every section and stage.',
  "World is Z-up, the ground is z = 0, units are metres; colours are linear RGB in [0, 1]. The camera must be set as bpy.context.scene.camera.",
].join("\n");

/** A complete, valid program (without the footer) to copy the shape and helpers from. */
export function exampleProgram(): string {
  return programBody(EXAMPLE);
}
