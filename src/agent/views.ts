/**
 * Extra views for the verifier: two orbit views around the scene (it sees 3D structure the photo's
 * viewpoint hides) and, on request, single objects rendered on their own.
 */

import { orbitCameras, sceneCentre } from "../blender/orbit.ts";
import type { ViewRequest } from "../blender/protocol.ts";
import { programBody } from "../program/assemble.ts";
import type { AgentContext } from "./context.ts";
import type { Attempt } from "./execute.ts";

export interface ExtraView {
  label: string;
  path: string;
}

/**
 * A body whose lighting step ends by hiding every mesh but `names` from the render. It wraps the
 * section function instead of editing it, so the program under test is otherwise unchanged.
 */
export function isolatedBody(source: string, names: readonly string[]): string {
  return `${programBody(source)}
_seig_build_lighting = build_lighting


def build_lighting(P):
    _seig_build_lighting(P)
    keep = ${JSON.stringify(names)}
    for obj in bpy.data.objects:
        if obj.type == "MESH" and obj.name not in keep:
            obj.hide_render = True

`;
}

function orbitViews(attempt: Attempt): ViewRequest[] {
  const camera = attempt.objects.find(
    (o) => o.type === "CAMERA" && o.name === attempt.fingerprint.composition["scene.camera"],
  );
  if (!camera) return [];
  // Offsets of a third and two thirds of a turn show the back and both sides between them.
  return orbitCameras({ camera: camera.location, centre: sceneCentre(attempt.objects), count: 3 })
    .slice(1)
    .map((c, i) => ({ name: `orbit_${i}`, camera: c }));
}

export async function renderExtraViews(
  ctx: AgentContext,
  attempt: Attempt,
  isolate: readonly string[],
  outDir: string,
): Promise<ExtraView[]> {
  const views: ExtraView[] = [];
  const orbit = orbitViews(attempt);
  if (orbit.length) {
    const reply = await ctx.pool.run({
      body: programBody(attempt.source),
      outDir: `${outDir}/orbit`,
      render: { ...ctx.render, views: orbit },
    });
    if (reply.ok)
      views.push(
        ...reply.images.map((img, i) => ({
          label: `Orbit view ${i + 1} of the current scene:`,
          path: img.path,
        })),
      );
  }
  const known = new Set(attempt.objects.map((o) => o.name));
  for (const name of isolate.filter((n) => known.has(n))) {
    const reply = await ctx.pool.run({
      body: isolatedBody(attempt.source, [name]),
      outDir: `${outDir}/isolated-${name}`,
      render: { ...ctx.render, views: [{ name: "render" }] },
    });
    if (reply.ok && reply.images[0])
      views.push({ label: `Object ${name} on its own:`, path: reply.images[0].path });
  }
  return views;
}
