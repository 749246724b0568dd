/**
 * Initialisation: K scaffold programs written in parallel from the scene graph, each executed,
 * and the one with the most complete object coverage kept — coverage as the VLM judges it against
 * the scene graph, the reconstruction loss breaking ties.
 */
import path from "node:path";
import { z } from "zod";
import { SeigError } from "../errors.ts";
import { imagePart, type Part, textPart } from "../vlm/message.ts";
import { extractJson } from "../vlm/parse.ts";
import type { CandidateStep } from "./candidate.ts";
import type { StagedContext } from "./context.ts";
import type { Attempt } from "./execute.ts";
import { askParsed } from "./model-call.ts";
import { scaffoldRequest } from "./program-messages.ts";
import { PLANNER_SYSTEM } from "./prompts/system.ts";
import { promptTag } from "./prompts/tag.ts";
import { type SceneGraph, sceneGraphLeaves } from "./scene-graph.ts";
import { meshNames } from "./scene-stats.ts";
import { finishProgram } from "./whole-program.ts";

const Coverage = z.object({
  scaffolds: z.array(
    z.object({
      scaffold: z.number().int(),
      covered: z.array(z.string()),
      missing: z.array(z.string()).default([]),
    }),
  ),
});

export interface ScaffoldRecord {
  rollout: number;
  render: string | null;
  loss: number | null;
  objects: string[];
  covered: number | null;
  steps: CandidateStep[];
}

export interface ScaffoldChoice {
  chosen: Attempt;
  index: number;
  records: ScaffoldRecord[];
}

/**
 * The share of the scene graph's objects a scaffold must build — by name, and by the number of mesh
 * objects it renders — or it is sent back: a scaffold that misses most of the scene (a copy of the
 * prompt's example) leaves every later stage editing the wrong objects.
 */
export const MIN_COVERAGE = 0.5;

export function coverageProblem(graph: SceneGraph, attempt: Attempt): string | null {
  const leaves = sceneGraphLeaves(graph).map((l) => l.name);
  const built = meshNames(attempt.objects);
  const named = leaves.filter((n) => built.includes(n));
  const need = Math.ceil(leaves.length * MIN_COVERAGE);
  if (named.length >= need && built.length >= need) return null;
  const missing = leaves.filter((n) => !built.includes(n));
  return `it builds ${named.length} of the scene graph's ${leaves.length} objects by name and renders ${built.length} mesh objects (built: ${built.join(", ") || "none"}; missing: ${missing.join(", ")}). Build every object of the scene graph, named exactly as there: ${leaves.join(", ")}.`;
}

export async function writeScaffolds(ctx: StagedContext, k: number): Promise<ScaffoldChoice> {
  const graphJson = JSON.stringify(ctx.sceneGraph);
  const requests = Array.from({ length: k }, (_, i) =>
    scaffoldRequest(
      promptTag({ kind: "scaffold", rollout: i + 1 }),
      graphJson,
      ctx.targetPng,
      ctx.blenderVersion,
      ctx.maxTokens.scaffold,
    ),
  );
  // First replies in parallel (the expensive part); re-asks and repairs one after another so the
  // calls keep one order, which replay depends on.
  const firsts = await Promise.all(requests.map((r) => ctx.generator.complete(r)));
  const results = [];
  for (const [i, request] of requests.entries()) {
    ctx.progress({ type: "note", text: `scaffold ${i + 1}/${k}` });
    results.push(
      await finishProgram(
        ctx,
        request,
        firsts[i]!,
        path.join(ctx.runDir, "scaffolds", `rollout-${i + 1}`),
        (attempt) => coverageProblem(ctx.sceneGraph, attempt),
      ),
    );
  }
  const usable = results.flatMap((r, i) => (r.attempt ? [{ i, attempt: r.attempt }] : []));
  if (usable.length === 0) {
    throw new SeigError(
      `none of the ${k} scaffold programs ran (${results[0]?.steps.at(-1)?.message ?? "no reply"}): try a stronger --model`,
    );
  }
  const covered = usable.length > 1 ? await judgeCoverage(ctx, usable) : new Map([[usable[0]!.i, 0]]);
  const best = usable.reduce((a, b) => {
    const ca = covered.get(a.i) ?? 0;
    const cb = covered.get(b.i) ?? 0;
    return cb > ca || (cb === ca && b.attempt.loss < a.attempt.loss) ? b : a;
  });
  const records = results.map((r, i) => ({
    rollout: i + 1,
    render: r.attempt?.render ?? null,
    loss: r.attempt?.loss ?? null,
    objects: r.attempt ? meshNames(r.attempt.objects) : [],
    covered: covered.get(i) ?? null,
    steps: r.steps,
  }));
  return { chosen: best.attempt, index: best.i, records };
}

export async function judgeCoverage(
  ctx: StagedContext,
  usable: { i: number; attempt: Attempt }[],
): Promise<Map<number, number>> {
  const leaves = sceneGraphLeaves(ctx.sceneGraph).map((l) => l.name);
  const text = [
    promptTag({ kind: "select-scaffold" }),
    `Several scaffold programs reconstruct the target photo. The scene graph's objects are: ${leaves.join(", ")}.`,
    "For each scaffold, judge from its render and its object list which scene-graph objects it really builds (present, roughly the right kind of thing, in roughly the right place) and which are missing.",
    ...usable.map(
      (u) => `Scaffold ${u.i + 1} builds objects: ${meshNames(u.attempt.objects).join(", ") || "(none)"}`,
    ),
    'Reply with JSON only, in one ```json block: {"scaffolds": [{"scaffold": 1, "covered": ["name"], "missing": ["name"]}]}',
  ].join("\n\n");
  const parts: Part[] = [
    textPart(text),
    imagePart("Target photo:", ctx.targetPng),
    ...usable.map((u) => imagePart(`Scaffold ${u.i + 1} render:`, u.attempt.render)),
  ];
  const { value } = await askParsed(
    ctx.verifier,
    {
      purpose: "select-scaffold",
      system: PLANNER_SYSTEM,
      parts,
      maxOutputTokens: ctx.maxTokens["select-scaffold"],
      temperature: 0,
    },
    (reply) => extractJson(reply, Coverage),
    ctx.reaskLimit,
  );
  const known = new Set(leaves);
  return new Map(
    value.scaffolds.map(
      (s) => [s.scaffold - 1, new Set(s.covered.filter((n) => known.has(n))).size] as const,
    ),
  );
}
