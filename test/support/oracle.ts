/**
 * A scripted "VLM" for agent tests that knows the ground-truth scene. Served through the
 * fake-providers double, it answers every agent prompt type (recognised by the `[seig:...]` tag on
 * the first line) plausibly: scaffolds and the one-shot program are the truth with controlled
 * errors (sizes, colours, positions, light), the verifier reports the stage's remaining errors by
 * comparing the program it is shown with the truth, the generator fixes exactly the objects the
 * checklist names, and pairwise comparisons are decided by pixel error against the target. It
 * also checks what it receives and records every problem in `problems`.
 */
import sharp from "sharp";
import { type PromptKind, readPromptTag } from "../../src/agent/prompts/tag.ts";
import { programBody, withCanonicalFooter } from "../../src/program/assemble.ts";
import { emitProgram } from "../../src/program/emit.ts";
import { keysOwnedBy } from "../../src/program/ownership.ts";
import { type Params, type ParamValue, parseProgram } from "../../src/program/parse.ts";
import { SceneSpec, type SceneSpecInput } from "../../src/program/scene-spec.ts";
import type { Stage } from "../../src/stages/index.ts";
import { estimateUsage, type FakeHandler, type FakeReply, type FakeRequest } from "./fake-providers.ts";
import { FOUR_X_NAMES, repairFourXNames, withFourXNames } from "./oracle-four-x.ts";

export { FOUR_X_NAMES };

export interface OracleOptions {
  truth: SceneSpecInput;
  /** The first material-stage candidate also scales a mesh (a geometry edit): must be rejected. */
  materialEditsGeometryOnce?: boolean;
  /** The first geometry-stage candidate reads an object that does not exist: must be repaired. */
  geometryRaisesOnce?: boolean;
  /** The very first request is answered with HTTP 429: must be retried. */
  rateLimitOnce?: boolean;
  /**
   * Scaffolds set five Principled BSDF inputs by their Blender 4.x names; a repair fixes only the
   * names its message quotes, as a model fixing the error it is shown would.
   */
  fourXNames?: boolean;
  /**
   * Behaves like a server with this context size: a request whose estimated prompt tokens plus its
   * max_tokens exceed it gets HTTP 400, as vLLM answers.
   */
  contextTokens?: number;
  /** Changes an answer before it is sent (a test's misbehaving model); `count` is 1 for the first of its kind. */
  transform?: (call: OracleCall) => FakeReply | Promise<FakeReply>;
}

export interface OracleCall {
  /** e.g. "stage:geometry", "scaffold", "verify:lighting". */
  name: string;
  count: number;
  text: string;
  reply: FakeReply;
}

/** The max_tokens a request asked for, in any of the wire formats. */
function requestedMaxTokens(raw: unknown): number {
  const body = raw as Record<string, unknown>;
  const gen = body["generationConfig"] as Record<string, unknown> | undefined;
  return Number(body["max_tokens"] ?? body["max_completion_tokens"] ?? gen?.["maxOutputTokens"] ?? 0);
}

export interface Oracle {
  handler: FakeHandler;
  /** Everything the oracle found wrong with the prompts it received. */
  problems: string[];
  /** Tags of the prompts answered, in order. */
  kinds: PromptKind[];
  /** Texts of the prompts answered, by kind name (e.g. "repair:material"). */
  prompts: Map<string, string[]>;
}

export const GEOMETRY_EDIT_MARK = "oracle_out_of_scope_edit";

/** The controlled errors of a first draft: each object, the light and the world are a bit off. */
export function perturbedSpec(truthInput: SceneSpecInput, dropLast = false): SceneSpecInput {
  const truth = SceneSpec.parse(truthInput);
  const objects = truth.objects
    .map((o, i) => ({
      ...o,
      size: o.size.map((v) => +(v * (i % 2 ? 1.45 : 0.6)).toFixed(3)) as [number, number, number],
      color: [o.color[2], o.color[0], o.color[1]] as [number, number, number],
      location: [+(o.location[0] + 0.25).toFixed(3), +(o.location[1] - 0.2).toFixed(3), o.location[2]] as [
        number,
        number,
        number,
      ],
    }))
    .slice(0, dropLast ? -1 : undefined);
  return {
    ...truth,
    objects,
    sun: {
      ...truth.sun,
      strength: truth.sun.strength * 0.35,
      elevationDeg: Math.min(85, truth.sun.elevationDeg + 25),
    },
    world: { ...truth.world, color: [truth.world.color[1], truth.world.color[2], truth.world.color[0]] },
  };
}

function close(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  if (typeof a === "number" && typeof b === "number")
    return Math.abs(a - b) <= 0.02 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => close(v, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The first ```python block after `label` in the prompt. */
function codeAfter(text: string, label: string): string | null {
  const at = text.indexOf(label);
  if (at < 0) return null;
  const m = /```python\n([\s\S]*?)```/.exec(text.slice(at));
  return m ? m[1]! : null;
}

function jsonAfter(text: string, label: string): unknown {
  const at = text.indexOf(label);
  if (at < 0) return null;
  const m = /```json\n([\s\S]*?)```/.exec(text.slice(at));
  return m ? JSON.parse(m[1]!) : null;
}

async function pixels(png: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(png).removeAlpha().resize({ width, height, fit: "fill" }).raw().toBuffer();
}

async function mseTo(target: Buffer, image: Buffer): Promise<number> {
  const meta = await sharp(target).metadata();
  const [t, x] = await Promise.all([
    pixels(target, meta.width!, meta.height!),
    pixels(image, meta.width!, meta.height!),
  ]);
  let sum = 0;
  for (let i = 0; i < t.length; i++) sum += ((t[i]! - x[i]!) / 255) ** 2;
  return sum / t.length;
}

function python(code: string, prose = "Here is the program."): FakeReply {
  return {
    text: `${prose}\n\n\`\`\`python\n${code.trimEnd()}\n\`\`\`\n`,
    usage: "estimate",
  };
}

function json(value: unknown): FakeReply {
  return {
    text: `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``,
    usage: "estimate",
  };
}

export function createOracle(options: OracleOptions): Oracle {
  const truth = SceneSpec.parse(options.truth);
  const truthParams: Params = parseProgram(emitProgram(truth)).params;
  const problems: string[] = [];
  const kinds: PromptKind[] = [];
  const prompts = new Map<string, string[]>();
  const lastChecklist = new Map<Stage, { problem: string }[]>();
  let rateLimited = !options.rateLimitOnce;
  let materialMisbehaved = !options.materialEditsGeometryOnce;
  let geometryMisbehaved = !options.geometryRaisesOnce;

  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };

  /** Stage-owned keys of the program whose values differ from the truth, as checklist items. */
  const discrepancies = (program: ReturnType<typeof parseProgram>, stage: Stage) =>
    keysOwnedBy(program, stage)
      .filter((key) => key in truthParams && !close(program.params[key], truthParams[key]))
      .map((key) => ({
        object: key.split(".")[0]!,
        problem: `${key} does not match the photo`,
        fix: `change ${key}`,
      }));

  const generate = (req: FakeRequest, text: string, stage: Stage, kind: "stage" | "repair"): FakeReply => {
    expect(
      req.images.length >= 3,
      `${kind}:${stage} got ${req.images.length} images, expected target, render and side-by-side`,
    );
    expect(text.includes(`Stage: ${stage}.`), `${kind}:${stage} prompt does not name its stage`);
    for (const item of lastChecklist.get(stage) ?? []) {
      expect(
        text.includes(item.problem),
        `${kind}:${stage} prompt lacks the previous checklist item "${item.problem}"`,
      );
    }
    const code = codeAfter(text, "Current program");
    if (!code) {
      problems.push(`${kind}:${stage} prompt has no current program`);
      return { text: "I cannot see the program." };
    }
    const program = parseProgram(withCanonicalFooter(code));
    const checklist = (jsonAfter(text, "Verifier checklist from the previous round (fix these)") ?? []) as {
      object: string;
    }[];
    const named = new Set(checklist.map((c) => c.object));
    const owned = keysOwnedBy(program, stage);
    const params = Object.fromEntries(
      owned.filter((k) => named.has(k.split(".")[0]!) && k in truthParams).map((k) => [k, truthParams[k]!]),
    );
    let section = program.sections[stage];
    const [defLine, ...rest] = section.split("\n");
    if (kind === "stage" && stage === "geometry" && !geometryMisbehaved) {
      geometryMisbehaved = true;
      section = [defLine, '    bpy.data.objects["no_such_object"].location.x = 0.0', ...rest].join("\n");
    }
    if (kind === "stage" && stage === "material" && !materialMisbehaved) {
      materialMisbehaved = true;
      const first = truth.objects[0]!.name;
      section = [
        defLine,
        `    ${GEOMETRY_EDIT_MARK} = bpy.data.objects["${first}"].data`,
        `    ${GEOMETRY_EDIT_MARK}.vertices[0].co.z += 0.3`,
        ...rest,
      ].join("\n");
    }
    const reply = Object.keys(params).length ? `\n\n\`\`\`json\n${JSON.stringify({ params })}\n\`\`\`` : "";
    return {
      text: `Fixing ${[...named].join(", ") || "nothing"}.\n\n\`\`\`python\n${section.trimEnd()}\n\`\`\`${reply}\n`,
      usage: "estimate",
    };
  };

  const handler: FakeHandler = async (req) => {
    if (!rateLimited) {
      rateLimited = true;
      return { status: 429, retryAfter: 0, message: "slow down" };
    }
    const text = req.texts.join("\n");
    const tag = readPromptTag(req.texts[0] ?? "");
    if (!tag) {
      problems.push(`a prompt without a seig tag: ${text.slice(0, 60)}`);
      return { text: "?" };
    }
    if (options.contextTokens) {
      const needed = estimateUsage(req, "").input + requestedMaxTokens(req.raw);
      if (needed > options.contextTokens)
        return {
          status: 400,
          message: `this model's maximum context length is ${options.contextTokens} tokens; ${needed} requested`,
        };
    }
    kinds.push(tag);
    const name = "stage" in tag ? `${tag.kind}:${tag.stage}` : tag.kind;
    prompts.set(name, [...(prompts.get(name) ?? []), text]);
    const reply = await answer(req, text, tag, name);
    const count = prompts.get(name)!.length;
    return options.transform ? options.transform({ name, count, text, reply }) : reply;
  };

  const answer = async (
    req: FakeRequest,
    text: string,
    tag: PromptKind,
    name: string,
  ): Promise<FakeReply> => {
    switch (tag.kind) {
      case "scene-graph":
        expect(req.images.length === 1, "scene-graph prompt should carry the target photo");
        return json({
          objects: truth.objects.map((o) => ({
            name: o.name,
            description: `a ${o.shape}`,
            primitive: o.shape,
          })),
          support: truth.objects.map((o) => ({ object: o.name, on: "ground" })),
          layout: "objects spread over the ground",
          camera: "raised, looking down at the objects",
        });
      case "scaffold": {
        const repaired = options.fourXNames ? repairFourXNames(text) : null;
        if (repaired) return python(repaired);
        // Rollout 1 forgets an object; the others are complete but imprecise.
        const body = programBody(emitProgram(perturbedSpec(truth, tag.rollout === 1)));
        return python(options.fourXNames ? withFourXNames(body, truth.objects[0]!.name) : body);
      }
      case "one-shot":
        return python(programBody(emitProgram(perturbedSpec(truth))));
      case "select-scaffold": {
        const truthNames = new Set(truth.objects.map((o) => o.name));
        const scaffolds = [...text.matchAll(/Scaffold (\d+) builds objects: (.*)/g)].map((m) => {
          const built = m[2]!.split(",").map((s) => s.trim());
          return {
            scaffold: Number(m[1]),
            covered: built.filter((n) => truthNames.has(n)),
            missing: [...truthNames].filter((n) => !built.includes(n)),
          };
        });
        expect(
          req.images.length === scaffolds.length + 1,
          "select-scaffold should show every scaffold's render",
        );
        return json({ scaffolds });
      }
      case "stage":
      case "repair":
        return generate(req, text, tag.stage, tag.kind);
      case "verify": {
        expect(
          req.images.length >= 5,
          `verify:${tag.stage} got ${req.images.length} images, expected target, render, side-by-side and two orbit views`,
        );
        expect(
          text.includes(`Verify the ${tag.stage} stage`),
          `verify:${tag.stage} prompt does not name its stage`,
        );
        const code = codeAfter(text, "Current program");
        if (!code) return json({ approved: false, checklist: [] });
        // Two items per round, so the loop needs several rounds.
        const checklist = discrepancies(parseProgram(withCanonicalFooter(code)), tag.stage).slice(0, 2);
        lastChecklist.set(tag.stage, checklist);
        return json({ approved: checklist.length === 0, checklist, isolate: [] });
      }
      case "compare": {
        expect(req.images.length === 3, `compare:${tag.stage} should show target, A and B`);
        // Like a careful judge: first the factor's own errors, then the overall look.
        const wrong = (label: string) => {
          const params = (jsonAfter(text, `PARAMS behind ${label}`) ?? {}) as Params;
          return Object.keys(params).filter((k) => k in truthParams && !close(params[k], truthParams[k]))
            .length;
        };
        const [wa, wb] = [wrong("A"), wrong("B")];
        if (wa !== wb)
          return json({
            better: wa < wb ? "A" : "B",
            reason: `${Math.min(wa, wb)} instead of ${Math.max(wa, wb)} wrong values`,
          });
        const [target, a, b] = req.images;
        const [ea, eb] = await Promise.all([mseTo(target!, a!), mseTo(target!, b!)]);
        const better = Math.abs(ea - eb) < 1e-7 ? "same" : ea < eb ? "A" : "B";
        return json({ better, reason: `pixel error ${ea.toFixed(5)} vs ${eb.toFixed(5)}` });
      }
      default:
        problems.push(`an edit prompt (${name}) reached the reconstruction oracle`);
        return { text: "?" };
    }
  };
  return { handler, problems, kinds, prompts };
}
