import { describe, expect, it } from "vitest";
import {
  checkParamEdit,
  describeParamViolations,
  keysOwnedBy,
  paramOwners,
  paramReads,
  unownedKeys,
} from "../src/program/ownership.ts";
import { parseProgram, type SceneProgram } from "../src/program/parse.ts";
import { replaceSection } from "../src/program/sections.ts";
import { sampleProgram } from "./program-fixture.ts";

function program(): SceneProgram {
  return parseProgram(sampleProgram());
}

describe("PARAMS ownership", () => {
  it("reads P[\"key\"] and P['key'] but not comments or other dicts", () => {
    const code =
      'def f(P):\n    a = P["x.size"]\n    b = P[ \'y.color\' ]  # P["z.commented"]\n    c = Q["q"] + myP["w"]\n    s = "# not a comment" + P["v"]\n';
    expect(paramReads(code)).toEqual([
      { key: "x.size", line: 2 },
      { key: "y.color", line: 3 },
      { key: "v", line: 5 },
    ]);
  });

  it("maps every key of an emitted program to the section that reads it", () => {
    const owners = paramOwners(program());
    expect(owners["mug.size"]).toEqual(["geometry"]);
    expect(owners["mug.color"]).toEqual(["material"]);
    expect(owners["camera.lens_mm"]).toEqual(["composition"]);
    expect(owners["render.exposure"]).toEqual(["lighting"]);
    expect(unownedKeys(program())).toEqual([]);
    expect(keysOwnedBy(program(), "geometry").sort()).toEqual(["ball.size", "ground.size", "mug.size"]);
  });

  it("shares a key read by two sections and reports dead keys", () => {
    let p = program();
    p = replaceSection(p, "material", p.sections.material.replace("pass", "") + '    print(P["mug.size"])\n');
    p = { ...p, params: { ...p.params, "dead.knob": 3 } };
    expect(paramOwners(p)["mug.size"]).toEqual(["geometry", "material"]);
    expect(unownedKeys(p)).toEqual(["dead.knob"]);
  });
});

describe("checkParamEdit", () => {
  it("accepts changes to the stage's own keys", () => {
    const before = program();
    const after = { ...before, params: { ...before.params, "mug.color": [0, 1, 0], "ball.roughness": 0.1 } };
    expect(checkParamEdit(before, after, "material")).toEqual([]);
  });

  it("lists changed, removed and added keys the stage does not own", () => {
    const before = program();
    const params = { ...before.params, "mug.size": [1, 1, 1], "new.knob": 2 };
    delete (params as Record<string, unknown>)["camera.lens_mm"];
    const violations = checkParamEdit(before, { ...before, params }, "material");
    expect(violations).toEqual([
      { key: "mug.size", change: "changed", owners: ["geometry"] },
      { key: "camera.lens_mm", change: "removed", owners: ["composition"] },
      { key: "new.knob", change: "added", owners: [] },
    ]);
    expect(describeParamViolations("material", violations)).toBe(
      'the material stage may change only PARAMS its section reads, but it changed "mug.size" (owned by geometry); removed "camera.lens_mm" (owned by composition); added "new.knob" (read by no section)',
    );
  });

  it("allows a key the stage adds and reads, but not claiming another stage's key", () => {
    const before = program();
    const lighting =
      before.sections.lighting + '    bpy.context.scene.view_settings.gamma = P["render.gamma"]\n';
    const added = {
      ...replaceSection(before, "lighting", lighting),
      params: { ...before.params, "render.gamma": 1.1 },
    };
    expect(checkParamEdit(before, added, "lighting")).toEqual([]);
    const stolen = replaceSection(
      before,
      "lighting",
      before.sections.lighting + '    print(P["mug.size"])\n',
    );
    const changed = { ...stolen, params: { ...before.params, "mug.size": [2, 2, 2] } };
    expect(checkParamEdit(before, changed, "lighting").map((v) => v.key)).toEqual(["mug.size"]);
  });
});
