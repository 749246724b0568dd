import { describe, expect, it } from "vitest";
import { ProgramShapeError } from "../src/errors.ts";
import { assembleProgram, programBody, withCanonicalFooter } from "../src/program/assemble.ts";
import { canonicalFooter } from "../src/program/footer.ts";
import { ProgramParseError, parseProgram } from "../src/program/parse.ts";
import { replaceSection } from "../src/program/sections.ts";
import { STAGES } from "../src/stages/index.ts";
import { lineOf, sampleProgram } from "./program-fixture.ts";

/** The parse error for `source`, checked to be a ProgramShapeError with one line. */
function parseError(source: string): ProgramParseError {
  try {
    parseProgram(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ProgramShapeError);
    expect(e).toBeInstanceOf(ProgramParseError);
    expect((e as Error).message).not.toContain("\n");
    return e as ProgramParseError;
  }
  throw new Error("expected parseProgram to fail");
}

describe("parseProgram / assembleProgram", () => {
  it("splits a program into header, PARAMS, sections and footer", () => {
    const source = sampleProgram();
    const p = parseProgram(source);
    expect(p.header.startsWith("# seig scene program v1 — generated from photo.jpg\n")).toBe(true);
    expect(p.header).not.toContain("PARAMS");
    expect(p.params["mug.size"]).toEqual([0.4, 0.4, 0.5]);
    expect(p.params["sun.elevation_deg"]).toBe(40);
    expect(p.sections.geometry.startsWith("def build_geometry(P):\n")).toBe(true);
    expect(p.sections.lighting).toContain("def build_lighting(P):");
    for (const stage of STAGES) expect(p.sections[stage]).not.toContain("# --- seig:");
    expect(p.footer).toBe(canonicalFooter());
  });

  it("round-trips: assemble(parse(src)) === src and parse(assemble(p)) equals p", () => {
    const source = sampleProgram();
    const p = parseProgram(source);
    expect(assembleProgram(p)).toBe(source);
    const edited = { ...p, params: { ...p.params, "mug.size": [1, 2, 3], extra: { nested: ["a", 1.5] } } };
    expect(parseProgram(assembleProgram(edited))).toEqual(edited);
  });

  it("writes PARAMS one key per line with flat lists inline", () => {
    const text = assembleProgram(parseProgram(sampleProgram()));
    expect(text).toContain('PARAMS = {\n  "mug.size": [0.4, 0.4, 0.5],\n');
  });

  it("programBody is everything before the end marker, and the footer completes it", () => {
    const source = sampleProgram();
    const body = programBody(source);
    expect(body.endsWith("# --- seig:end ---")).toBe(false);
    expect(body + canonicalFooter()).toBe(source);
    expect(withCanonicalFooter(body)).toBe(source);
    expect(withCanonicalFooter(body + "# --- seig:end ---\nprint('other footer')\n")).toBe(source);
    expect(() => programBody("PARAMS = {}\n")).toThrow(/seig:end/);
  });

  it("replaceSection changes one section only", () => {
    const p = parseProgram(sampleProgram());
    const q = replaceSection(p, "material", "def build_materials(P):\n    pass");
    expect(q.sections.material).toBe("def build_materials(P):\n    pass\n");
    expect(q.sections.geometry).toBe(p.sections.geometry);
    expect(parseProgram(assembleProgram(q)).sections.material).toBe(q.sections.material);
  });

  it("accepts CRLF line endings", () => {
    const source = sampleProgram();
    expect(parseProgram(source.replace(/\n/g, "\r\n"))).toEqual(parseProgram(source));
  });
});

describe("parseProgram errors", () => {
  const source = sampleProgram();

  it("names a missing marker", () => {
    const e = parseError(source.replace("# --- seig:material ---\n", ""));
    expect(e.message).toMatch(/no `# --- seig:material ---` marker/);
    expect(e.message).toContain("def build_materials(P):");
  });

  it("names a missing end marker", () => {
    const e = parseError(programBody(source));
    expect(e.message).toMatch(/no `# --- seig:end ---` marker.*footer/);
  });

  it("names markers out of order with their line", () => {
    const swapped = source
      .replace("# --- seig:material ---", "# --- seig:TMP ---")
      .replace("# --- seig:composition ---", "# --- seig:material ---")
      .replace("# --- seig:TMP ---", "# --- seig:composition ---");
    const e = parseError(swapped);
    expect(e.line).toBe(lineOf(swapped, "# --- seig:composition ---"));
    expect(e.message).toMatch(/^line \d+: marker `# --- seig:composition ---` is out of order/);
  });

  it("names a duplicate and an unknown marker", () => {
    const dup = source.replace(
      "# --- seig:lighting ---\n",
      "# --- seig:lighting ---\n# --- seig:lighting ---\n",
    );
    expect(parseError(dup).message).toMatch(
      /second `# --- seig:lighting ---` marker \(the first is on line \d+\)/,
    );
    const typo = source.replace("# --- seig:lighting ---", "# --- seig:lights ---");
    const e = parseError(typo);
    expect(e.line).toBe(lineOf(typo, "seig:lights"));
    expect(e.message).toContain("is not a seig marker");
  });

  it("rejects Python literals in PARAMS with the line of the offending token", () => {
    const bad = source.replace('"ball.metallic": 1,', '"ball.metallic": True,');
    const e = parseError(bad);
    expect(e.line).toBe(lineOf(bad, '"ball.metallic": True'));
    expect(e.message).toMatch(
      /PARAMS is not a JSON object literal: `True` is not a JSON value; write 1 instead/,
    );
  });

  it("rejects single quotes, comments, trailing commas and JSON-only literals", () => {
    const cases: [string, RegExp][] = [
      [source.replace('"mug.size"', "'mug.size'"), /'mug.size' is not a double-quoted/],
      [
        source.replace('"mug.size": [0.4, 0.4, 0.5],', '"mug.size": [0.4, 0.4, 0.5],  # tall'),
        /comments are not allowed/,
      ],
      [source.replace('"render.exposure": 0\n}', '"render.exposure": 0,\n}'), /trailing comma/],
      [
        source.replace('"ball.metallic": 1,', '"ball.metallic": true,'),
        /`true` is not a JSON value; Python cannot read it/,
      ],
      [source.replace('"ball.metallic": 1,', '"ball.metallic": .5,'), /`.5` is not a JSON number/],
    ];
    for (const [text, pattern] of cases) expect(parseError(text).message).toMatch(pattern);
  });

  it("reports JSON.parse problems that the token scan does not catch", () => {
    const bad = source.replace('"mug.size": [0.4, 0.4, 0.5],', '"mug.size" [0.4, 0.4, 0.5],');
    const e = parseError(bad);
    expect(e.message).toMatch(/^line \d+: PARAMS is not a JSON object literal: /);
    expect(e.line).toBe(lineOf(bad, '"mug.size" ['));
  });

  it("rejects an unclosed PARAMS and a missing PARAMS", () => {
    const unclosed = source.replace('"render.exposure": 0\n}', '"render.exposure": 0\n');
    expect(parseError(unclosed).message).toMatch(/^line \d+: the `\{` of PARAMS is never closed/);
    expect(parseError(unclosed).line).toBe(lineOf(unclosed, "PARAMS = {"));
    const none = source.replace("PARAMS = {", "SETTINGS = {");
    expect(parseError(none).message).toMatch(/no `PARAMS = \{` line before the geometry marker/);
  });

  it("rejects text between PARAMS and the geometry marker", () => {
    const bad = source.replace("}\n# --- seig:geometry ---", "}\nx = 1\n# --- seig:geometry ---");
    const e = parseError(bad);
    expect(e.line).toBe(lineOf(bad, "x = 1"));
    expect(e.message).toContain("move it into the header");
  });

  it("rejects a section without its function, naming the marker line", () => {
    const bad = source.replace("def compose(P):", "def composition(P):");
    const e = parseError(bad);
    expect(e.line).toBe(lineOf(bad, "# --- seig:composition ---"));
    expect(e.message).toContain("does not define `def compose(P):`");
  });

  it("rejects a footer that is not canonical, at the first differing line", () => {
    const bad = source.replace("def seig_main():", "def seig_main():  # edited");
    const e = parseError(bad);
    expect(e.line).toBe(lineOf(bad, "# edited"));
    expect(e.message).toContain("not seig's canonical footer");
    expect(parseProgram(bad, { requireCanonicalFooter: false }).footer).toContain("# edited");
  });
});
