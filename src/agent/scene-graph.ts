/**
 * The scene graph the VLM writes first: named objects, refined into parts until every leaf is a
 * Blender primitive, with support relations, a rough layout and the camera. Its names are the
 * object names every later stage must keep.
 */
import { z } from "zod";
import { Shape } from "../program/scene-spec.ts";
import type { VlmClient } from "../vlm/client.ts";
import { imagePart, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import { askParsed } from "./model-call.ts";
import { PLANNER_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";

const Name = z.string().regex(/^[a-z][a-z0-9_]*$/, "lower_snake_case");

export interface SceneNode {
  name: string;
  description: string;
  primitive?: Shape | undefined;
  parts?: SceneNode[] | undefined;
}

const SceneNodeSchema: z.ZodType<SceneNode> = z.lazy(() =>
  z
    .object({
      name: Name,
      description: z.string(),
      primitive: Shape.optional(),
      parts: z.array(SceneNodeSchema).optional(),
    })
    .refine((n) => (n.parts?.length ?? 0) > 0 || n.primitive !== undefined, {
      message: "a node without parts must name its primitive (cube, sphere, cylinder, cone or torus)",
    }),
);

export const SceneGraph = z.object({
  objects: z.array(SceneNodeSchema).min(1),
  support: z.array(z.object({ object: Name, on: z.string() })).default([]),
  layout: z.string(),
  camera: z.string(),
});
export type SceneGraph = z.infer<typeof SceneGraph>;

/** The leaves: what the program builds, one primitive each. */
export function sceneGraphLeaves(graph: SceneGraph): { name: string; primitive: Shape }[] {
  const walk = (n: SceneNode): { name: string; primitive: Shape }[] =>
    n.parts?.length ? n.parts.flatMap(walk) : [{ name: n.name, primitive: n.primitive! }];
  return graph.objects.flatMap(walk);
}

const EXAMPLE = {
  objects: [
    {
      name: "table",
      description: "wooden table",
      parts: [
        { name: "table_top", description: "flat top", primitive: "cube" },
        { name: "table_leg", description: "central leg", primitive: "cylinder" },
      ],
    },
    { name: "mug", description: "red mug", primitive: "cylinder" },
  ],
  support: [{ object: "mug", on: "table_top" }],
  layout: "mug left of centre on the table, table in the middle of the frame",
  camera: "eye height about 1.2 m, looking slightly down from the front-right",
};

export async function askSceneGraph(
  client: VlmClient,
  targetPng: string,
  reasks: number,
  maxOutputTokens: number,
): Promise<SceneGraph> {
  const text = [
    promptTag({ kind: "scene-graph" }),
    "Describe the photographed scene as a scene graph for a Blender reconstruction.",
    "List every visible object with a stable lower_snake_case name. Refine each object into parts, recursively, until every leaf can be approximated by ONE primitive (cube, sphere, cylinder, cone, torus); a leaf names its primitive.",
    'Add support relations (what rests on what; `on` may be "ground"), a rough layout of the objects in the frame, and where the camera is.',
    "Reply with JSON only, in one ```json block, shaped like this example:",
    `\`\`\`json\n${JSON.stringify(EXAMPLE, null, 2)}\n\`\`\``,
  ].join("\n");
  const { value } = await askParsed(
    client,
    {
      purpose: "scene-graph",
      system: PLANNER_SYSTEM,
      parts: [textPart(text), imagePart("Target photo:", targetPng)],
      maxOutputTokens,
      temperature: 0,
    },
    (reply) => extractJson(reply, SceneGraph),
    reasks,
  );
  return value;
}
