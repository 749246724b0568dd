/**
 * A finished run's scene, by hand: its PARAMS (with the stage owning each), a re-render with
 * changed values or a sky preset, saving the edit as a new program, and glTF/.blend exports.
 * Generated code only ever runs through the shared, sandboxed pool.
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import type { z } from "zod";
import { exportScene, relight, render, setParams } from "../api/scene.ts";
import { paramOwners } from "../program/ownership.ts";
import { parseProgram } from "../program/parse.ts";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { jsonBody } from "./json-body.ts";
import { fileUrl } from "./run-files.ts";
import { openRunById } from "./run-views.ts";
import { type ParamRow, RelightRequest, type RenderReply, RenderRequest, SaveRequest } from "./wire.ts";

async function programOf(ctx: WebContext, id: string): Promise<{ dir: string; source: string }> {
  const run = await openRunById(ctx.runsDir, id);
  if (!run.program) throw new HttpError(409, `run ${id} has no program.py yet`);
  return { dir: run.dir, source: run.program };
}

let renderSlot = 0;

/** Renders into one of a few rotating folders under <run>/web so edits do not pile up on disk. */
async function renderEdited(
  ctx: WebContext,
  id: string,
  dir: string,
  source: string,
  r: z.output<typeof RenderRequest>,
): Promise<RenderReply> {
  const rel = path.join("web", `render-${renderSlot++ % 4}`);
  const started = performance.now();
  const result = await render(
    { source },
    { outDir: path.join(dir, rel), width: r.width, height: r.height, samples: r.samples, pool: ctx.pool },
  );
  const seconds = (performance.now() - started) / 1000;
  return { image: fileUrl(id, path.join(rel, path.basename(result.images[0]!.path)), Date.now()), seconds };
}

/** The .glb (or .blend) of the run's program, exported once and reused until program.py changes. */
async function exported(ctx: WebContext, id: string, kind: "glb" | "blend"): Promise<string> {
  const { dir, source } = await programOf(ctx, id);
  const rel = path.join("web", `scene.${kind}`);
  const out = path.join(dir, rel);
  const [have, program] = await Promise.all([
    stat(out).catch(() => null),
    stat(path.join(dir, "program.py")),
  ]);
  if (!have || have.mtimeMs < program.mtimeMs) {
    await mkdir(path.dirname(out), { recursive: true });
    await exportScene({ source }, { [kind]: out, pool: ctx.pool });
  }
  return rel;
}

export function sceneRoutes(ctx: WebContext): Hono {
  const app = new Hono();

  app.get("/api/runs/:id/params", async (c) => {
    const { source } = await programOf(ctx, c.req.param("id"));
    const program = parseProgram(source);
    const owners = paramOwners(program);
    const rows: ParamRow[] = Object.entries(program.params).map(([key, value]) => ({
      key,
      value,
      owners: owners[key] ?? [],
    }));
    return c.json(rows);
  });

  app.post("/api/runs/:id/render", async (c) => {
    const id = c.req.param("id");
    const r = await jsonBody(c.req.raw, RenderRequest);
    const { dir, source } = await programOf(ctx, id);
    return c.json(await renderEdited(ctx, id, dir, await setParams({ source }, r.params), r));
  });

  app.post("/api/runs/:id/relight", async (c) => {
    const id = c.req.param("id");
    const r = await jsonBody(c.req.raw, RelightRequest);
    const { dir, source } = await programOf(ctx, id);
    const relit = await relight(
      { source: await setParams({ source }, r.params) },
      { sky: r.sky, pool: ctx.pool },
    );
    return c.json(await renderEdited(ctx, id, dir, relit, RenderRequest.parse({})));
  });

  app.post("/api/runs/:id/save", async (c) => {
    const id = c.req.param("id");
    const r = await jsonBody(c.req.raw, SaveRequest);
    const { dir, source } = await programOf(ctx, id);
    const edited = await setParams({ source }, r.params);
    const rel = path.join("edits", `program-${new Date().toISOString().replace(/[:.]/g, "-")}.py`);
    await mkdir(path.join(dir, "edits"), { recursive: true });
    await writeFile(path.join(dir, rel), edited, "utf8");
    return c.json({ program: fileUrl(id, rel) }, 201);
  });

  app.get("/api/runs/:id/scene.glb", async (c) => {
    const id = c.req.param("id");
    return c.redirect(fileUrl(id, await exported(ctx, id, "glb"), Date.now()));
  });
  app.get("/api/runs/:id/scene.blend", async (c) => {
    const id = c.req.param("id");
    return c.redirect(`${fileUrl(id, await exported(ctx, id, "blend"))}?download=1`);
  });
  return app;
}
