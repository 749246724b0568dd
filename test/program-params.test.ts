import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.ts";
import {
  closeKeys,
  flattenNumeric,
  getParam,
  parseParamText,
  setParam,
  unflattenNumeric,
} from "../src/program/params.ts";
import { parseProgram } from "../src/program/parse.ts";
import { sampleProgram } from "./program-fixture.ts";

const p = parseProgram(sampleProgram());

describe("getParam / setParam", () => {
  it("sets a value of the same type and shape without touching the original", () => {
    const q = setParam(p, "mug.color", [0, 1, 0]);
    expect(getParam(q, "mug.color")).toEqual([0, 1, 0]);
    expect(getParam(p, "mug.color")).toEqual([0.8, 0.1, 0.1]);
    expect(setParam(p, "sun.strength", 5).params["sun.strength"]).toBe(5);
  });

  it("keeps types: numbers stay numbers, vectors keep their length", () => {
    expect(() => setParam(p, "sun.strength", "5")).toThrow(
      /cannot set "sun.strength" is a finite number, not string "5"; give a value like 3/,
    );
    expect(() => setParam(p, "mug.color", [1, 0])).toThrow(/"mug.color" is a list of 3, not a list of 2/);
    expect(() => setParam(p, "mug.color", [1, 0, "x"])).toThrow(/"mug.color"\[2\] is a finite number/);
    expect(() => setParam(p, "sun.strength", Number.NaN)).toThrow(InputError);
  });

  it("names close matches for an unknown key", () => {
    expect(() => setParam(p, "mug.colr", [1, 0, 0])).toThrow(
      'PARAMS has no key "mug.colr"; did you mean "mug.color"?',
    );
    expect(() => getParam(p, "sun.strenght")).toThrow(/did you mean "sun.strength"/);
    expect(closeKeys("size", Object.keys(p.params))).toEqual(["ball.size", "mug.size", "ground.size"].sort());
    expect(() => getParam(p, "zzzzzzzzzzzz")).toThrow(/seig params/);
  });

  it("reads command-line text in the shape of the current value", () => {
    expect(parseParamText("0.5", 3)).toBe(0.5);
    expect(parseParamText("1,0, 0", [0.8, 0.1, 0.1])).toEqual([1, 0, 0]);
    expect(parseParamText("[1, 0, 0]", [0.8, 0.1, 0.1])).toEqual([1, 0, 0]);
    expect(parseParamText("red", "blue")).toBe("red");
    expect(() => parseParamText("abc", 3)).toThrow(/cannot read "abc" as a value like 3/);
  });
});

describe("flattenNumeric / unflattenNumeric", () => {
  it("packs numbers and vectors in key order and puts them back", () => {
    const keys = ["sun.elevation_deg", "mug.location", "sun.azimuth_deg"];
    expect(flattenNumeric(p.params, keys)).toEqual([40, 0, 0, 0.25, 30]);
    const params = unflattenNumeric(p.params, keys, [10, 1, 2, 3, 20]);
    expect(params["sun.elevation_deg"]).toBe(10);
    expect(params["mug.location"]).toEqual([1, 2, 3]);
    expect(params["sun.azimuth_deg"]).toBe(20);
    expect(params["mug.size"]).toEqual(p.params["mug.size"]);
    expect(p.params["sun.elevation_deg"]).toBe(40);
  });

  it("rejects wrong lengths, unknown keys and non-numeric values", () => {
    expect(() => unflattenNumeric(p.params, ["mug.location"], [1, 2])).toThrow(
      /hold 3 numbers but 2 were given/,
    );
    expect(() => flattenNumeric(p.params, ["mug.locaton"])).toThrow(/did you mean "mug.location"/);
    expect(() => flattenNumeric({ ...p.params, name: "x" }, ["name"])).toThrow(
      /not a number or a list of numbers/,
    );
  });
});
