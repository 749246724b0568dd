/**
 * A scripted "VLM" for `seig edit` tests, served through the fake-providers double. It answers the
 * three edit prompts (recognised by their `[seig:edit-…]` tag): the classifier picks the stage from
 * the instruction's words, the generator recolours the object the instruction names through PARAMS,
 * and the verifier looks at the before and after renders and approves when the after one is bluer.
 * Misbehaviour on request: a first section that also moves an object (out of scope for a material
 * edit), or a verifier that never approves.
 */
import sharp from "sharp";
import { readPromptTag } from "../../src/agent/prompts/tag.ts";
import { withCanonicalFooter } from "../../src/program/assemble.ts";
import { parseProgram } from "../../src/program/parse.ts";
import { SECTION_FUNCTIONS } from "../../src/program/sections.ts";
import type { Stage } from "../../src/stages/index.ts";
import type { FakeHandler, FakeReply } from "./fake-providers.ts";

export interface EditOracleOptions {
  /** The first section the generator sends also moves the object (a composition change). */
  movesObjectOnce?: boolean;
  /** The verifier says the instruction was not carried out, whatever it sees. */
  refuses?: boolean;
}

export interface EditOracle {
  handler: FakeHandler;
  problems: string[];
  /** Texts of the prompts answered, by purpose-like name ("edit:material", "edit-repair:material"). */
  prompts: Map<string, string[]>;
}

export const MOVE_MARK = "delta_location";

const COLOURS: Record<string, [number, number, number]> = {
  blue: [0.05, 0.15, 0.85],
  green: [0.1, 0.6, 0.15],
  white: [0.9, 0.9, 0.9],
};

const STAGE_WORDS: [Stage, RegExp][] = [
  ["material", /\b(colou?r|blue|green|white|red|metal|shiny|matte|glossy)\b/i],
  ["geometry", /\b(bigger|smaller|taller|shape|size)\b/i],
  ["lighting", /\b(light|sun|sky|brighter|darker)\b/i],
  ["composition", /\b(move|left|right|camera|rotate|turn)\b/i],
];

function json(value: unknown): FakeReply {
  return { text: `\`\`\`json\n${JSON.stringify(value)}\n\`\`\``, usage: { input: 1200, output: 80 } };
}

function instructionOf(text: string): string {
  return (
    /change to a 3D scene: "([^"]*)"|as the user asks: "([^"]*)"/.exec(text)?.slice(1).find(Boolean) ?? ""
  );
}

function codeAfter(text: string, label: string): string | null {
  const at = text.indexOf(label);
  if (at < 0) return null;
  return /```python\n([\s\S]*?)```/.exec(text.slice(at))?.[1] ?? null;
}

/** Mean of blue minus red over an image, in [−1, 1]. */
async function blueness(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let i = 0; i < data.length; i += info.channels) sum += (data[i + 2]! - data[i]!) / 255;
  return sum / (data.length / info.channels);
}

export function createEditOracle(options: EditOracleOptions = {}): EditOracle {
  const problems: string[] = [];
  const prompts = new Map<string, string[]>();
  let moved = !options.movesObjectOnce;
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };

  const section = (text: string, stage: Stage, first: boolean): FakeReply => {
    const code = codeAfter(text, "Current program");
    if (!code) {
      problems.push(`edit:${stage} prompt has no current program`);
      return { text: "I cannot see the program." };
    }
    const program = parseProgram(withCanonicalFooter(code));
    const instruction = instructionOf(text).toLowerCase();
    const object = Object.keys(program.params)
      .map((k) => k.split(".")[0]!)
      .find((name) => name.split("_").every((word) => instruction.includes(word)));
    const colour = Object.entries(COLOURS).find(([word]) => instruction.includes(word))?.[1];
    expect(object !== undefined && colour !== undefined, `cannot tell what "${instruction}" asks`);
    const params = object && colour ? { [`${object}.color`]: colour } : {};
    let body = program.sections[stage];
    if (first && !moved && object) {
      moved = true;
      const [def, ...rest] = body.split("\n");
      body = [def, `    bpy.data.objects["${object}"].${MOVE_MARK}.x += 0.5`, ...rest].join("\n");
    }
    expect(body.startsWith(`def ${SECTION_FUNCTIONS[stage]}(P)`), `edit:${stage} section has no def`);
    return {
      text: `Recolouring ${object}.\n\n\`\`\`python\n${body.trimEnd()}\n\`\`\`\n\n\`\`\`json\n${JSON.stringify({ params })}\n\`\`\`\n`,
      usage: { input: 3000, output: 300 },
    };
  };

  const handler: FakeHandler = async (req) => {
    const text = req.texts.join("\n");
    const tag = readPromptTag(req.texts[0] ?? "");
    if (!tag) {
      problems.push(`a prompt without a seig tag: ${text.slice(0, 60)}`);
      return { text: "?" };
    }
    const name = "stage" in tag ? `${tag.kind}:${tag.stage}` : tag.kind;
    prompts.set(name, [...(prompts.get(name) ?? []), text]);
    switch (tag.kind) {
      case "edit-classify": {
        expect(req.images.length === 1, "edit-classify should show the current render");
        const instruction = instructionOf(text);
        const stage = STAGE_WORDS.find(([, words]) => words.test(instruction))?.[0] ?? "geometry";
        return json({ stage, reason: `"${instruction}" is a ${stage} change` });
      }
      case "edit":
      case "edit-repair":
        expect(req.images.length === 1, `${name} should show the current render`);
        return section(text, tag.stage, tag.kind === "edit");
      case "edit-verify": {
        expect(req.images.length === 3, "edit-verify should show before, after and side by side");
        if (options.refuses) return json({ carried_out: false, reason: "the box still looks red" });
        const [before, after] = await Promise.all(req.images.slice(0, 2).map(blueness));
        const bluer = after! > before! + 0.005;
        return json({
          carried_out: bluer,
          reason: `blue minus red went from ${before!.toFixed(3)} to ${after!.toFixed(3)}`,
        });
      }
      default:
        problems.push(`a reconstruction prompt (${name}) reached the edit oracle`);
        return { text: "?" };
    }
  };
  return { handler, problems, prompts };
}
