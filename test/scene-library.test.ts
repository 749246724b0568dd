import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { relightProgram } from "../src/apps/relight.ts";
import { parseProgram } from "../src/program/parse.ts";
import { moduleBody, sceneLibrary } from "../src/program/scene-library.ts";
import { STAGES } from "../src/stages/index.ts";
import { sampleProgram } from "./program-fixture.ts";

describe("the Blender-side scene library", () => {
  it("has one module per stage, embedded in every emitted program's header in stage order", () => {
    const header = parseProgram(sampleProgram()).header;
    const at = STAGES.map((s) => header.indexOf(moduleBody(s)));
    for (const i of at) expect(i).toBeGreaterThan(0);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(header).toContain(sceneLibrary());
    expect(moduleBody("lighting")).toMatch(/^def sun_direction/);
    expect(moduleBody("geometry")).not.toMatch(/^import /m);
  });

  it("gives relight the same lighting helpers, nested so the section needs nothing from the header", () => {
    const relit = parseProgram(relightProgram(sampleProgram(), { sky: "sunset" }));
    const nested = moduleBody("lighting")
      .split("\n")
      .map((l) => (l ? `    ${l}` : l))
      .join("\n");
    expect(relit.sections.lighting).toContain(nested);
    expect(relit.sections.lighting).toContain('add_sun("sun", P["sun.elevation_deg"]');
  });
});

describe("programs saved by an earlier seig", () => {
  it("still parse, and come back with the current footer", () => {
    // The tabletop example as written before the footer pinned colour management and seeded random.
    const old = readFileSync(new URL("./fixtures/program-earlier-footer.py", import.meta.url), "utf8");
    expect(old).not.toContain("seig_scene_defaults");
    const parsed = parseProgram(old);
    expect(parsed.footer).toContain("seig_scene_defaults");
    expect(() =>
      parseProgram(old.replace("def seig_clear_scene():", "def seig_clear_scene():\n    pass")),
    ).toThrow(/not seig's canonical footer/);
  });
});
