import { describe, expect, it } from "vitest";
import { parseSectionReply, spliceCandidate } from "../src/agent/candidate.ts";
import { blenderApiNotes } from "../src/agent/prompts/blender-api-notes.ts";
import { promptTag, readPromptTag } from "../src/agent/prompts/tag.ts";
import { emitProgram } from "../src/program/emit.ts";
import { parseProgram } from "../src/program/parse.ts";

const SOURCE = emitProgram({
  objects: [{ name: "cube1", shape: "cube", size: [1, 1, 1], location: [0, 0, 0.5], color: [0.8, 0.1, 0.1] }],
  camera: { location: [5, -5, 4], lookAt: [0, 0, 0.5] },
  sun: { elevationDeg: 45, azimuthDeg: 30, strength: 3 },
  world: { color: [0.5, 0.6, 0.7] },
});

describe("generator replies for a stage", () => {
  it("takes the section with or without fences, drops a repeated marker, and reads a PARAMS update", () => {
    const fenced = parseSectionReply(
      'Reasoning.\n```python\n# --- seig:material ---\ndef build_materials(P):\n    pass\n```\n```json\n{"params": {"cube1.color": [0, 1, 0]}}\n```',
      "material",
    );
    expect(fenced).toMatchObject({
      ok: true,
      value: { section: "def build_materials(P):\n    pass\n\n", params: { "cube1.color": [0, 1, 0] } },
    });
    const bare = parseSectionReply("def build_materials(P):\n    pass", "material");
    expect(bare).toMatchObject({ ok: true, value: { params: {} } });
  });

  it("asks again for a reply that is the wrong function or the whole program", () => {
    const wrong = parseSectionReply("```python\ndef compose(P):\n    pass\n```", "material");
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.reask).toMatch(/def build_materials\(P\)/);
    const whole = parseSectionReply(`\`\`\`python\n${SOURCE}\n\`\`\``, "material");
    expect(whole.ok).toBe(false);
  });

  it("splices only the stage's section and rejects PARAMS the stage does not own", () => {
    const section = parseProgram(SOURCE).sections.material;
    const ok = spliceCandidate(SOURCE, "material", { section, params: { "cube1.color": [0, 1, 0] } });
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      const after = parseProgram(ok.source);
      expect(after.params["cube1.color"]).toEqual([0, 1, 0]);
      expect(after.sections.geometry).toBe(parseProgram(SOURCE).sections.geometry);
    }
    const moved = spliceCandidate(SOURCE, "material", { section, params: { "cube1.location": [1, 0, 0.5] } });
    expect(moved).toMatchObject({ ok: false });
    if (!moved.ok) expect(moved.problem).toMatch(/changed "cube1.location" \(owned by composition\)/);
    const imports = spliceCandidate(SOURCE, "material", {
      section: "import os\ndef build_materials(P):\n    pass\n",
      params: {},
    });
    expect(imports.ok).toBe(false);
  });
});

describe("prompt tags and Blender notes", () => {
  it("round-trips every tag kind", () => {
    for (const kind of [
      { kind: "scene-graph" },
      { kind: "scaffold", rollout: 3 },
      { kind: "verify", stage: "lighting" },
      { kind: "repair", stage: "geometry" },
    ] as const) {
      expect(readPromptTag(`${promptTag(kind)}\nrest`)).toEqual(kind);
    }
    expect(readPromptTag("[seig:stage:paint]")).toBeNull();
  });

  it("names the socket names of the running Blender", () => {
    expect(blenderApiNotes("3.4.1")).toMatch(/Do NOT use the 4\.x names/);
    const v42 = blenderApiNotes("4.2.0");
    expect(v42).toMatch(/"Specular" → "Specular IOR Level"/);
    expect(v42).toMatch(/use_auto_smooth was removed/);
    expect(v42).toMatch(/BLENDER_EEVEE_NEXT/);
    expect(blenderApiNotes("4.0.2")).not.toMatch(/use_auto_smooth/);
  });
});
