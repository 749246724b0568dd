import { describe, expect, it } from "vitest";
import { ProgramShapeError } from "../src/errors.ts";
import { assertValidProgram, validateProgram } from "../src/program/validate.ts";
import { lineOf, sampleProgram } from "./program-fixture.ts";

describe("validateProgram", () => {
  const source = sampleProgram();

  it("accepts an emitted program", () => {
    const result = validateProgram(source);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(assertValidProgram(source).params["mug.size"]).toEqual([0.4, 0.4, 0.5]);
  });

  it("passes parse errors through with their line", () => {
    const bad = source.replace("def build_lighting(P):", "def lighting(P):");
    const result = validateProgram(bad);
    expect(result.ok).toBe(false);
    expect(result.program).toBeNull();
    expect(result.problems).toEqual([
      {
        line: lineOf(bad, "# --- seig:lighting ---"),
        message: `line ${lineOf(bad, "# --- seig:lighting ---")}: the lighting section does not define \`def build_lighting(P):\` at the start of a line; add it below this marker`,
      },
    ]);
  });

  it("rejects imports outside bpy, bmesh, mathutils, math, random", () => {
    const bad = source
      .replace("import bpy, bmesh, math\n", "import bpy, bmesh, math, os\n")
      .replace(
        "def build_geometry(P):\n",
        "def build_geometry(P):\n    from subprocess import run\n    import random as rnd, mathutils.geometry\n",
      );
    const result = validateProgram(bad);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.message)).toEqual([
      `line ${lineOf(bad, "math, os")}: import of \`os\` is not allowed; a scene program may import only bpy, bmesh, mathutils, math, random`,
      `line ${lineOf(bad, "from subprocess")}: import of \`subprocess\` is not allowed; a scene program may import only bpy, bmesh, mathutils, math, random`,
    ]);
  });

  it("detects duplicate PARAMS keys that JSON.parse would drop", () => {
    const bad = source.replace('"ball.metallic": 1,', '"ball.metallic": 1,\n  "mug.size": [9, 9, 9],');
    const result = validateProgram(bad);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        line: lineOf(bad, '"mug.size": [9, 9, 9]'),
        message: `line ${lineOf(bad, '"mug.size": [9, 9, 9]')}: PARAMS key "mug.size" appears twice (only the last would count); remove one`,
      },
    ]);
  });

  it("does not mistake dict literals in the code for PARAMS keys", () => {
    const code = source.replace(
      "def build_geometry(P):\n",
      'def build_geometry(P):\n    a = {"k": 1}\n    b = {"k": 2}\n',
    );
    expect(validateProgram(code).problems).toEqual([]);
  });

  it("flags reads of keys PARAMS does not have, at their line", () => {
    const bad = source.replace('P["ball.size"]', 'P["ball.sise"]');
    const result = validateProgram(bad);
    expect(result.problems.map((p) => p.line)).toEqual([lineOf(bad, "ball.sise")]);
    expect(result.problems[0]!.message).toContain(
      'the geometry section reads P["ball.sise"] but PARAMS has no such key',
    );
  });

  it("assertValidProgram throws one line with a count of further problems", () => {
    const bad = source.replace("import bpy, bmesh, math\n", "import os, sys\n");
    expect(() => assertValidProgram(bad)).toThrow(ProgramShapeError);
    expect(() => assertValidProgram(bad)).toThrow(/import of `os` is not allowed.* \(and 1 more problem\)$/);
  });

  it("rejects a non-canonical footer", () => {
    const result = validateProgram(source.replace('if __name__ == "__main__":', "if True:"));
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.message).toContain("not seig's canonical footer");
  });
});
