/**
 * Scope that matches intent, the Blender API pre-flight and the quality gates, each against the
 * oracle behind the localhost double (real HTTP, real Blender).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preflight } from "../src/agent/preflight.ts";
import { exampleProgram } from "../src/agent/prompts/program-format.ts";
import { runAgent } from "../src/agent/run-agent.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { assembleProgram, programBody, withCanonicalFooter } from "../src/program/assemble.ts";
import { parseProgram } from "../src/program/parse.ts";
import { replaceSection } from "../src/program/sections.ts";
import { afterDef, agentSettings, editCode, withOracle } from "./support/agent-harness.ts";
import { FOUR_X_NAMES } from "./support/oracle.ts";
import { renderTruth, THREE_THINGS } from "./support/oracle-scene.ts";

let root: string;
let pool: BlenderPool;
let targetPng: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "seig-scope-"));
  pool = await BlenderPool.start({ size: 2, writableDirs: [root] });
  targetPng = await renderTruth(pool, THREE_THINGS, path.join(root, "truth"), {
    width: 64,
    height: 48,
    samples: 16,
  });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
});

const settings = (name: string, extra = {}) => agentSettings(root, targetPng, name, extra);
const roundsOf = (state: Awaited<ReturnType<typeof runAgent>>["state"], stage: string) =>
  state.rounds.filter((r) => r.stage === stage);

describe("scope that matches intent", () => {
  it("accepts a geometry size change whose resting height compose() derives from the size key", async () => {
    // compose() stands every object on the ground from its size: z = size / 2.
    const coupled = (code: string) =>
      code.replace(
        /place\("(\w+)", P\["\1\.location"\], /g,
        (_, o: string) =>
          `place("${o}", [P["${o}.location"][0], P["${o}.location"][1], P["${o}.size"][2] / 2], `,
      );
    await withOracle(
      { pool },
      { transform: (c) => (c.name === "scaffold" ? editCode(c.reply, coupled) : c.reply) },
      async (runtime, oracle) => {
        const result = await runAgent(settings("coupled"), runtime);
        expect(oracle.problems).toEqual([]);
        const geometry = roundsOf(result.state, "geometry");
        expect(geometry.flatMap((r) => r.steps).filter((s) => s.outcome === "out-of-scope")).toEqual([]);
        expect(geometry[0]!.outcome).toBe("accepted");
        expect(result.program).toContain('P["box.size"][2] / 2');
        expect(parseProgram(result.program).params["box.size"]).toEqual([1.2, 1.2, 1.2]);
      },
    );
  }, 90_000);

  it("counts obj.dimensions on a mesh as geometry when compose() does not set scale", async () => {
    const sized = (code: string) =>
      `${code.trimEnd()}\n    bpy.data.objects["ball"].dimensions = [1.05, 1.05, 1.05]\n`;
    await withOracle(
      { pool },
      {
        transform: (c) => (c.name === "stage:geometry" && c.count === 1 ? editCode(c.reply, sized) : c.reply),
      },
      async (runtime) => {
        const result = await runAgent(settings("dimensions", { stages: ["geometry"] }), runtime);
        const first = roundsOf(result.state, "geometry")[0]!;
        expect(first.steps[0]).toMatchObject({ call: "stage", outcome: "ok" });
        expect(first.diff).toContain(".dimensions = [1.05, 1.05, 1.05]");
      },
    );
  }, 90_000);

  it("rejects an out-of-scope write that a later section overwrites, naming property, object, owner and fix", async () => {
    const moves = (code: string) =>
      afterDef(code, "build_materials", ['bpy.data.objects["box"].location.x += 1.0']);
    await withOracle(
      { pool },
      {
        transform: (c) => (c.name === "stage:material" && c.count === 1 ? editCode(c.reply, moves) : c.reply),
      },
      async (runtime, oracle) => {
        const result = await runAgent(settings("overwritten", { stages: ["geometry", "material"] }), runtime);
        const first = roundsOf(result.state, "material")[0]!;
        expect(first.steps[0]).toMatchObject({ call: "stage", outcome: "out-of-scope" });
        expect(first.steps[0]!.message).toMatch(
          /your material code writes the location of box, which the composition stage owns/,
        );
        expect(oracle.prompts.get("repair:material")![0]).toMatch(/compose\(\) places objects/);
        expect(result.program).not.toContain("location.x += 1.0");
      },
    );
  }, 90_000);
});

describe("the Blender API pre-flight", () => {
  it("fixes five Blender 4.x Principled names without a single repair call", async () => {
    await withOracle({ pool }, { fourXNames: true }, async (runtime, oracle) => {
      const result = await runAgent(
        settings("four-x", {
          stages: ["geometry"],
          rounds: { geometry: 1, material: 0, composition: 0, lighting: 0 },
        }),
        runtime,
      );
      expect(oracle.kinds.filter((k) => k.kind === "scaffold")).toHaveLength(2);
      const steps = result.state.scaffolds!.records.map((r) => r.steps);
      for (const s of steps) {
        expect(s).toHaveLength(1);
        expect(s[0]!.outcome).toBe("ok");
        for (const [four, three] of Object.entries(FOUR_X_NAMES))
          expect(s[0]!.message).toContain(`"${four}" → "${three}"`);
      }
      expect(result.program).not.toMatch(/Specular IOR Level|Emission Color|Coat Weight/);
    });
  }, 90_000);

  it("finds every API problem of a program in one pass, through the worker pool's Blender", async () => {
    const body = afterDef(programBody(withCanonicalFooter(exampleProgram())), "build_lighting", [
      "bpy.ops.mesh.primitive_cube_addd(size=1)",
      "bpy.ops.mesh.primitive_uv_sphere_add(radiuss=1)",
      'n = bpy.data.materials["mug_mat"].node_tree.nodes.new("ShaderNodeBsdfPrincipledd")',
      "bpy.data.meshes[0].use_auto_smoth = True",
      'bg = bpy.context.scene.world.node_tree.nodes["Background"]',
      'bg.inputs["Colour"].default_value = (1, 1, 1, 1)',
    ]);
    const check = await preflight({ pool }, withCanonicalFooter(body));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const lines = check.problem.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toHaveLength(5);
    expect(check.problem).toMatch(
      /primitive_cube_addd does not exist.*did you mean "mesh.primitive_cube_add"/,
    );
    expect(check.problem).toMatch(/has no argument "radiuss"/);
    expect(check.problem).toMatch(/no node type "ShaderNodeBsdfPrincipledd"/);
    expect(check.problem).toMatch(/no Blender type has a property "use_auto_smoth"/);
    expect(check.problem).toMatch(/ShaderNodeBackground has no input "Colour" \(did you mean "Color"\?\)/);
  }, 60_000);
});

describe("quality gates", () => {
  it("rejects a scaffold that covers none of the scene graph's objects and asks again", async () => {
    // The prompt's example (a mug and a ball) with its ball renamed, so it shares no name with the scene.
    const example = { text: `\`\`\`python\n${exampleProgram().replaceAll("ball", "marble")}\`\`\`` };
    await withOracle(
      { pool },
      { transform: (c) => (c.name === "scaffold" && c.count === 1 ? example : c.reply) },
      async (runtime, oracle) => {
        const result = await runAgent(
          settings("coverage", {
            stages: ["geometry"],
            rounds: { geometry: 1, material: 0, composition: 0, lighting: 0 },
          }),
          runtime,
        );
        const rejected = result.state.scaffolds!.records.find((r) => r.steps[0]!.outcome === "error")!;
        expect(rejected.steps[0]!.message).toMatch(/builds 0 of the scene graph's 3 objects/);
        expect(rejected.steps.at(-1)!.outcome).toBe("ok");
        expect(oracle.prompts.get("scaffold")!.some((t) => /ran, but it is not acceptable/.test(t))).toBe(
          true,
        );
        expect(result.state.best!.objects.map((o) => o.name)).toEqual(
          expect.arrayContaining(["box", "ball", "can"]),
        );
      },
    );
  }, 90_000);

  it("reverts a lighting change that worsens the loss beyond the margin without asking the judge", async () => {
    const darker = (code: string) => `${code.trimEnd()}\n    bpy.data.objects["sun"].data.energy *= 0.05\n`;
    await withOracle(
      { pool },
      { transform: (c) => (c.name === "stage:lighting" ? editCode(c.reply, darker) : c.reply) },
      async (runtime, oracle) => {
        const result = await runAgent(settings("regression"), runtime);
        const lighting = roundsOf(result.state, "lighting");
        expect(lighting[0]).toMatchObject({ outcome: "reverted" });
        expect(lighting[0]!.reason).toMatch(/more than the 10% a judge may overrule/);
        expect(oracle.prompts.get("compare:lighting")).toBeUndefined();
        expect(result.state.stages["lighting"]!.psnr).toBeGreaterThanOrEqual(
          result.state.stages["composition"]!.psnr,
        );
      },
    );
  }, 90_000);

  it("neither renders nor judges a section sent back unchanged", async () => {
    const unchanged = (c: { text: string }) => ({ text: c.text.replace(/```json[\s\S]*?```/, "") });
    await withOracle(
      { pool },
      {
        transform: (c) =>
          c.name === "stage:material" && c.count === 1 && "text" in c.reply ? unchanged(c.reply) : c.reply,
      },
      async (runtime, oracle) => {
        const result = await runAgent(settings("unchanged", { stages: ["geometry", "material"] }), runtime);
        const first = roundsOf(result.state, "material")[0]!;
        expect(first).toMatchObject({ outcome: "rejected", render: null });
        expect(first.steps).toEqual([
          { call: "stage", outcome: "unchanged", message: "the section came back unchanged" },
        ]);
        expect(existsSync(path.join(result.outDir, "rounds", "material", "round-1", "attempt-0"))).toBe(
          false,
        );
        const rounds = roundsOf(result.state, "material").filter((r) => r.render !== null).length;
        expect(oracle.prompts.get("compare:material") ?? []).toHaveLength(rounds);
      },
    );
  }, 90_000);

  it("cuts a whole program sent for one section down to that section and its PARAMS", async () => {
    const whole = (text: string, reply: { text: string }) => {
      const shown = /Current program[^\n]*\n```python\n([\s\S]*?)```/.exec(text)![1]!;
      const section = /```python\n([\s\S]*?)```/.exec(reply.text)![1]!;
      const params = JSON.parse(/```json\n([\s\S]*?)```/.exec(reply.text)?.[1] ?? '{"params": {}}').params;
      const program = parseProgram(withCanonicalFooter(shown));
      const full = {
        ...replaceSection(program, "material", section),
        params: { ...program.params, ...params },
      };
      return { text: `The whole program:\n\`\`\`python\n${programBody(assembleProgram(full))}\`\`\`` };
    };
    await withOracle(
      { pool },
      {
        transform: (c) =>
          c.name === "stage:material" && c.count === 1 && "text" in c.reply
            ? whole(c.text, c.reply)
            : c.reply,
      },
      async (runtime, oracle, fake) => {
        const result = await runAgent(settings("whole", { stages: ["geometry", "material"] }), runtime);
        const first = roundsOf(result.state, "material")[0]!;
        expect(first.steps[0]).toMatchObject({ call: "stage", outcome: "ok" });
        expect(fake.requests.some((r) => r.texts.some((t) => t.includes("could not be used")))).toBe(false);
        expect(oracle.prompts.get("stage:material")).toHaveLength(roundsOf(result.state, "material").length);
      },
    );
  }, 90_000);
});
