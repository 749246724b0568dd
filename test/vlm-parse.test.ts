import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractCode, extractJson, looksTruncated, ModelOutputError } from "../src/vlm/parse.ts";

function code(text: string): string {
  const r = extractCode(text);
  if (!r.ok) throw r.error;
  return r.value;
}

describe("extractCode", () => {
  it("takes a ```python block out of prose", () => {
    expect(code("Here you go:\n```python\nimport bpy\nbuild()\n```\nThis builds the mug.")).toBe(
      "import bpy\nbuild()",
    );
  });

  it("prefers python blocks over bare and other-language blocks", () => {
    const text =
      "```\nplain = 1\nplain = 2\nplain = 3\n```\n```bash\nblender -b -P program.py\n```\n```py\nx = 1\n```";
    expect(code(text)).toBe("x = 1");
  });

  it("takes the largest python block, so a snippet before the full program is ignored", () => {
    const text =
      "Change this line:\n```python\nP['r'] = 2\n```\nFull program:\n```python\nimport bpy\ndef build():\n    pass\n```\nAnd run:\n```python\nbuild()\n```";
    expect(code(text)).toBe("import bpy\ndef build():\n    pass");
  });

  it("uses bare fences when there is no python block, and the whole reply when there are no fences", () => {
    expect(code("```\nimport bpy\n```")).toBe("import bpy");
    expect(code("  import bpy\nbuild()\n")).toBe("import bpy\nbuild()");
  });

  it("keeps inner backticks and longer fences intact", () => {
    expect(code("````python\ns = '```'\n````")).toBe("s = '```'");
  });

  it("rejects unclosed fences, empty replies and non-python blocks with a re-ask message", () => {
    for (const [text, says] of [
      ["```python\nimport bpy\nx = [1,", "unclosed"],
      ["   ", "empty"],
      ['```json\n{"a": 1}\n```', "no Python block"],
    ] as const) {
      const r = extractCode(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(ModelOutputError);
        expect(r.error.reask).toContain(says);
        expect(r.error.message).not.toContain("\n");
      }
    }
  });
});

describe("extractJson", () => {
  const verdict = z.object({ approve: z.boolean(), issues: z.array(z.string()) });

  it("finds JSON in a fence, bare, or inside prose", () => {
    const expected = { approve: false, issues: ["mug too tall"] };
    for (const text of [
      'Verdict:\n```json\n{"approve": false, "issues": ["mug too tall"]}\n```',
      '{"approve": false, "issues": ["mug too tall"]}',
      'I compared them. {"approve": false, "issues": ["mug too tall"]} That is all.',
    ]) {
      const r = extractJson(text, verdict);
      expect(r).toEqual({ ok: true, value: expected });
    }
  });

  it("skips braces in prose and strings that merely look like JSON", () => {
    const text = 'The set {a, b} differs. {"approve": true, "issues": ["a } inside a string"]}';
    expect(extractJson(text, verdict)).toEqual({
      ok: true,
      value: { approve: true, issues: ["a } inside a string"] },
    });
  });

  it("accepts a matching object wrapped in an envelope, but blames only the outer shape", () => {
    expect(extractJson('{"verdict": {"approve": true, "issues": []}}', verdict)).toEqual({
      ok: true,
      value: { approve: true, issues: [] },
    });
    const r = extractJson('{"verdict": {"approve": 1, "issues": []}}', verdict);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reask).toContain("at approve");
  });

  it("names the mismatch when the JSON has the wrong shape", () => {
    const r = extractJson('{"approve": "yes", "issues": []}', verdict);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.reask).toContain("at approve");
      expect(r.error.reask).toContain("```json");
    }
  });

  it("says there is no JSON when nothing parses", () => {
    const r = extractJson("{approve: true, issues: [],}", verdict);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reask).toContain("no valid JSON");
  });
});

describe("looksTruncated", () => {
  it("trusts finishReason length", () => {
    expect(looksTruncated("done.", "length")).toBe(true);
    expect(looksTruncated("done.", "stop")).toBe(false);
  });

  it("spots unclosed fences, brackets and triple-quoted strings", () => {
    expect(looksTruncated("```python\nimport bpy\n", "stop")).toBe(true);
    expect(looksTruncated('```python\nPARAMS = {\n  "a": [1, 2,\n```', "stop")).toBe(true);
    expect(looksTruncated('x = """doc\nstill going', "stop")).toBe(true);
    expect(looksTruncated('{"approve": true, "issues": ["a"', "stop")).toBe(true);
  });

  it("is not fooled by brackets in strings, comments or prose apostrophes", () => {
    expect(looksTruncated("```python\ns = '(['  # a ( comment\nf(x)\n```", "stop")).toBe(false);
    expect(looksTruncated("It's fine: 1) the mug, 2) the table.", "stop")).toBe(false);
    expect(looksTruncated("```python\nbuild()\n```\nDon't worry (really.", "stop")).toBe(false);
  });
});
