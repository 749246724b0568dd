import { describe, expect, it } from "vitest";
import { assembleProgram } from "../src/program/assemble.ts";
import { diffPrograms, summariseProgramDiff } from "../src/program/diff.ts";
import { setParam } from "../src/program/params.ts";
import { parseProgram } from "../src/program/parse.ts";
import { replaceSection } from "../src/program/sections.ts";
import { sampleProgram } from "./program-fixture.ts";

describe("diffPrograms", () => {
  const before = sampleProgram();
  const p = parseProgram(before);

  it("reports no change for equal programs", () => {
    const d = diffPrograms(before, p);
    expect(d).toEqual({
      headerChanged: false,
      sectionsChanged: [],
      footerChanged: false,
      params: { added: [], removed: [], changed: [] },
      text: "",
    });
    expect(summariseProgramDiff(d)).toBe("no change");
  });

  it("names changed sections and PARAMS keys with old and new values", () => {
    let q = setParam(p, "mug.size", [1, 1, 2]);
    q = replaceSection(
      q,
      "lighting",
      q.sections.lighting.replace("set_exposure", "set_exposure  # brighter\n    set_exposure"),
    );
    const params = { ...q.params, "new.knob": 1 };
    delete (params as Record<string, unknown>)["ball.metallic"];
    const after = assembleProgram({ ...q, params });
    const d = diffPrograms(before, after, { before: "round0/program.py", after: "round1/program.py" });
    expect(d.sectionsChanged).toEqual(["lighting"]);
    expect(d.headerChanged).toBe(false);
    expect(d.params.changed).toEqual([{ key: "mug.size", before: [0.4, 0.4, 0.5], after: [1, 1, 2] }]);
    expect(d.params.added).toEqual([{ key: "new.knob", value: 1 }]);
    expect(d.params.removed).toEqual([{ key: "ball.metallic", value: 1 }]);
    expect(d.text).toContain("--- round0/program.py");
    expect(d.text).toContain("+++ round1/program.py");
    expect(d.text).toContain('-  "mug.size": [0.4, 0.4, 0.5],');
    expect(d.text).toContain('+  "mug.size": [1, 1, 2],');
    expect(summariseProgramDiff(d)).toBe(
      "lighting section; PARAMS mug.size [0.4,0.4,0.5] → [1,1,2], +new.knob 1, -ball.metallic",
    );
  });
});
