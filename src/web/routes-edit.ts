/**
 * Edit by instruction: with a model configured (`seig serve --model …`), an instruction runs
 * `seig edit` (src/apps/edit.ts) on the run's program — with any hand edits applied first — and
 * the result lands in its own folder under <run>/edits/. Without a model the page is told why the
 * box is unavailable. Generated code runs only through the shared, sandboxed pool.
 */
import path from "node:path";
import { Hono } from "hono";
import { usageLine } from "../agent/usage.ts";
import { setParams } from "../api/scene.ts";
import { editProgram } from "../apps/edit.ts";
import { InputError, isSeigError, oneLine } from "../errors.ts";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { jsonBody } from "./json-body.ts";
import { fileUrl } from "./run-files.ts";
import { openRunById } from "./run-views.ts";
import { type EditReply, EditRequest, type ServerConfig } from "./wire.ts";

export const NO_EDIT_MODEL =
  "no model configured: start `seig serve --model <provider:model>` (its key comes from the environment) to edit by instruction";

/** Renders the models compare, 320 px wide at the photo's aspect: small enough to stay quick. */
function editSize(run: { run: Record<string, unknown> | null }): { width: number; height: number } {
  const t = (run.run?.["target"] ?? {}) as { width?: number; height?: number };
  const aspect = t.width && t.height ? t.width / t.height : 4 / 3;
  return { width: 320, height: Math.max(16, Math.round(320 / aspect)) };
}

export function editRoutes(ctx: WebContext): Hono {
  const app = new Hono();

  app.get("/api/config", (c) =>
    c.json({
      editModel: ctx.editModel ?? null,
      editUnavailable: ctx.editModel ? null : NO_EDIT_MODEL,
    } satisfies ServerConfig),
  );

  app.post("/api/runs/:id/edit", async (c) => {
    const id = c.req.param("id");
    const r = await jsonBody(c.req.raw, EditRequest);
    if (!ctx.editModel) throw new HttpError(409, NO_EDIT_MODEL);
    const run = await openRunById(ctx.runsDir, id);
    if (!run.program) throw new HttpError(409, `run ${id} has no program.py yet`);
    const source = await setParams({ source: run.program }, r.params);
    const folder = path.join("edits", `edit-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    const started = performance.now();
    const result = await editProgram(
      source,
      path.join(run.dir, folder, "program.py"),
      {
        instruction: r.instruction,
        model: ctx.editModel,
        ...editSize(run),
        samples: 8,
        attempts: r.attempts,
      },
      { pool: await ctx.pool.get(), ...(ctx.env ? { env: ctx.env } : {}) },
    ).catch((e: unknown) => {
      // Bad input stays 400; an edit the verifier did not accept (or a model error) is 422.
      if (e instanceof InputError) throw new HttpError(400, oneLine(e));
      if (isSeigError(e)) throw new HttpError(422, oneLine(e));
      throw e;
    });
    const url = (file: string) => fileUrl(id, path.relative(run.dir, file), Date.now());
    return c.json(
      {
        program: url(result.outputs.program),
        before: url(result.outputs.before),
        after: url(result.outputs.after),
        comparison: url(result.outputs.comparison),
        stage: result.stage,
        verdict: result.verdict,
        usage: usageLine(result.usage.total),
        seconds: (performance.now() - started) / 1000,
      } satisfies EditReply,
      201,
    );
  });
  return app;
}
