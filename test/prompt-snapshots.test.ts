/**
 * Every prompt template as the model receives it, pinned by a snapshot: a change to a prompt shows
 * up in review as a diff of what models are told. Update with `npx vitest run -u` after reading it.
 */
import { describe, expect, it } from "vitest";
import type { StagedContext } from "../src/agent/context.ts";
import type { Attempt } from "../src/agent/execute.ts";
import { oneShotRequest, scaffoldRequest } from "../src/agent/program-messages.ts";
import { promptTag } from "../src/agent/prompts/tag.ts";
import { judgeCoverage } from "../src/agent/scaffold.ts";
import { askSceneGraph, type SceneGraph } from "../src/agent/scene-graph.ts";
import { comparePair } from "../src/agent/select.ts";
import { generatorParts } from "../src/agent/stage-messages.ts";
import { DEFAULT_MAX_TOKENS } from "../src/agent/token-budgets.ts";
import { verify } from "../src/agent/verifier.ts";
import { editClassifyText, editSectionText, editVerifyText } from "../src/apps/edit-prompts.ts";
import type { ObjectStats } from "../src/blender/protocol.ts";
import { withCanonicalFooter } from "../src/program/assemble.ts";
import { emitProgram } from "../src/program/emit.ts";
import { parseProgram } from "../src/program/parse.ts";
import { STAGES, type Stage } from "../src/stages/index.ts";
import type { VlmClient, VlmRequest } from "../src/vlm/client.ts";
import { TWO_THINGS } from "./support/oracle-scene.ts";

/** What a prompt looks like on the wire, images as their labels. */
function show(request: Pick<VlmRequest, "system" | "parts" | "maxOutputTokens">): string {
  const parts = request.parts.map((p) => (p.type === "text" ? p.text : `<image ${p.label}>`));
  return [`SYSTEM: ${request.system}`, `MAX TOKENS: ${request.maxOutputTokens}`, ...parts].join("\n---\n");
}

/** A client that answers `reply` and keeps what it was asked. */
function recorder(reply: string): VlmClient & { asked: VlmRequest[] } {
  const asked: VlmRequest[] = [];
  return {
    model: "test:model",
    asked,
    async complete(request) {
      asked.push(request);
      return {
        text: reply,
        usage: { inputTokens: 1, outputTokens: 1 },
        costUsd: 0,
        model: "test:model",
        finishReason: "stop",
      };
    },
  };
}

const source = withCanonicalFooter(emitProgram(TWO_THINGS));
const objects: ObjectStats[] = [
  {
    name: "box",
    type: "MESH",
    bboxMin: [-1.4, -0.4, 0],
    bboxMax: [-0.2, 0.8, 1.2],
    location: [-0.8, 0.2, 0.6],
    matrixWorld: Array(16).fill(0),
    lensMm: null,
    sensorMm: null,
    materials: ["box_mat"],
    baseColor: [0.8, 0.15, 0.1],
    metallic: 0,
    roughness: 0.6,
    volumeRatio: 1,
    eulerCharacteristic: 2,
  },
];
const attempt: Attempt = {
  source,
  render: "render.png",
  loss: 0.02,
  psnr: 20,
  fingerprint: { geometry: {}, material: {}, composition: {}, lighting: {} },
  objects,
};
const graph: SceneGraph = {
  objects: [
    { name: "box", description: "red box", primitive: "cube" },
    { name: "ball", description: "blue ball", primitive: "sphere" },
  ],
  support: [{ object: "box", on: "ground" }],
  layout: "box left, ball right",
  camera: "front right, raised",
};

function context(client: VlmClient): StagedContext {
  return {
    generator: client,
    verifier: client,
    targetPng: "target.png",
    blenderVersion: "3.4.1",
    repairLimit: 1,
    reaskLimit: 0,
    maxTokens: { ...DEFAULT_MAX_TOKENS },
    sceneGraph: graph,
  } as unknown as StagedContext;
}

describe("prompt templates", () => {
  it("scene graph", async () => {
    const client = recorder(JSON.stringify(graph));
    await askSceneGraph(client, "target.png", 0, DEFAULT_MAX_TOKENS["scene-graph"]);
    expect(show(client.asked[0]!)).toMatchSnapshot();
  });

  it("scaffold and one-shot", () => {
    expect(
      show(
        scaffoldRequest(
          promptTag({ kind: "scaffold", rollout: 1 }),
          JSON.stringify(graph),
          "target.png",
          "3.4.1",
          12000,
        ),
      ),
    ).toMatchSnapshot();
    expect(
      show(oneShotRequest(promptTag({ kind: "one-shot" }), "target.png", "4.2.0", 12000)),
    ).toMatchSnapshot();
  });

  it("scaffold selection", async () => {
    const client = recorder(
      '{"scaffolds": [{"scaffold": 1, "covered": ["box"]}, {"scaffold": 2, "covered": ["box"]}]}',
    );
    await judgeCoverage(context(client), [
      { i: 0, attempt },
      { i: 1, attempt },
    ]);
    expect(show(client.asked[0]!)).toMatchSnapshot();
  });

  for (const stage of STAGES) {
    it(`stage, repair, verify and compare: ${stage}`, async () => {
      const input = {
        stage: stage as Stage,
        base: attempt,
        comparisonPng: "comparison.png",
        targetPng: "target.png",
        checklist: [{ object: "box", problem: "too small", fix: "make it larger" }],
        feedback: "it was judged worse than the current scene; it was reverted.",
        sceneGraph: graph,
        blenderVersion: "3.4.1",
      };
      expect(
        show({ system: "(generator)", parts: generatorParts(promptTag({ kind: "stage", stage }), input) }),
      ).toMatchSnapshot();
      expect(
        show({
          system: "(generator)",
          parts: generatorParts(
            promptTag({ kind: "repair", stage }),
            input,
            "Your last candidate was rejected: ...",
          ),
        }),
      ).toMatchSnapshot();
      const judge = recorder('{"approved": true, "checklist": [], "better": "same", "reason": "even"}');
      await verify(context(judge), {
        stage,
        attempt,
        comparisonPng: "comparison.png",
        extraViews: [],
        sceneGraphJson: JSON.stringify(graph),
      });
      const changed = {
        ...attempt,
        loss: 0.019,
        source: source.replace('"box.size": [1.2, 1.2, 1.2]', '"box.size": [1.3, 1.3, 1.3]'),
      };
      await comparePair(context(judge), stage, attempt, changed, { seed: 0, draws: 0 });
      expect(show(judge.asked[0]!)).toMatchSnapshot();
      expect(show(judge.asked[1]!)).toMatchSnapshot();
    });
  }

  it("edit: classify, section and verify", () => {
    const scene = {
      instruction: "make the box blue",
      body: parseProgram(source).header,
      stats: "- box (MESH)",
      blenderVersion: "4.2.0",
    };
    expect(editClassifyText(scene)).toMatchSnapshot();
    expect(
      editSectionText({
        ...scene,
        stage: "material",
        call: "edit",
        ownedKeys: ["box.color"],
        feedback: null,
        preface: "",
      }),
    ).toMatchSnapshot();
    expect(
      editVerifyText({
        instruction: "make the box blue",
        stage: "material",
        changes: "changed box[0] (material)",
        diff: "-a\n+b",
      }),
    ).toMatchSnapshot();
  });
});
