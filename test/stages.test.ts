import { describe, expect, it } from "vitest";
import { emitProgram } from "../src/program/emit.ts";
import { paramOwners } from "../src/program/ownership.ts";
import { parseProgram } from "../src/program/parse.ts";
import { SECTION_FUNCTIONS } from "../src/program/sections.ts";
import { type ParamOwner, STAGE_DEFINITIONS, STAGES, stageOwning } from "../src/stages/index.ts";
import { SPEC } from "./program-fixture.ts";

const NAMED = new Set(["ground", "camera", "sun", "world", "render"]);

function ownerOf(key: string): ParamOwner {
  const head = key.split(".")[0]!;
  return (NAMED.has(head) ? head : "object") as ParamOwner;
}

describe("one stage, one file", () => {
  it("lists the four stages once, in the paper's order, each section named by its stage file", () => {
    expect(Object.keys(STAGE_DEFINITIONS)).toEqual([...STAGES]);
    for (const s of STAGES) {
      expect(STAGE_DEFINITIONS[s].stage).toBe(s);
      expect(SECTION_FUNCTIONS[s]).toBe(STAGE_DEFINITIONS[s].section);
    }
    expect(STAGES.map((s) => STAGE_DEFINITIONS[s].roundBudget)).toEqual([5, 3, 3, 2]);
  });

  it("declares every quantity in exactly one stage, and tunes only what the stage owns", () => {
    const declared = STAGES.flatMap((s) =>
      STAGE_DEFINITIONS[s].params.map((p) => `${p.owner}.${p.quantity}`),
    );
    expect(new Set(declared).size).toBe(declared.length);
    for (const s of STAGES) {
      for (const t of STAGE_DEFINITIONS[s].offline.tunables) expect(stageOwning(t.owner, t.quantity)).toBe(s);
    }
  });

  it("emits PARAMS that the section of the declaring stage reads, grouped in stage order", () => {
    const program = parseProgram(emitProgram(SPEC), { requireCanonicalFooter: false });
    const owners = paramOwners(program);
    const keys = Object.keys(program.params).filter((k) => k.includes("."));
    expect(keys.length).toBeGreaterThan(10);
    const stageIndex = keys.map((k) => {
      const [, quantity] = k.split(/\.(.*)/);
      const stage = stageOwning(ownerOf(k), quantity!);
      expect(stage, k).not.toBeNull();
      expect(owners[k], k).toEqual([stage]);
      return STAGES.indexOf(stage!);
    });
    expect(stageIndex).toEqual([...stageIndex].sort((a, b) => a - b));
  });
});
