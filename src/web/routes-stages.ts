/** The result view's stage timeline (stage-detail.ts) and the run folder as a zip (run-zip.ts). */
import { Hono } from "hono";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { openRunById } from "./run-views.ts";
import { runZip } from "./run-zip.ts";
import { stageDetail } from "./stage-detail.ts";

const STAGE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export function stageRoutes(ctx: WebContext): Hono {
  const app = new Hono();
  app.get("/api/runs/:id/stages/:stage", async (c) => {
    const { id, stage } = c.req.param();
    if (!STAGE_NAME.test(stage)) throw new HttpError(400, `not a stage name: ${JSON.stringify(stage)}`);
    const run = await openRunById(ctx.runsDir, id);
    return c.json(await stageDetail(ctx, id, run, stage));
  });
  app.get("/api/runs/:id/download.zip", async (c) => runZip(ctx.runsDir, c.req.param("id")));
  return app;
}
