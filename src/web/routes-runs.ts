/**
 * Runs: start one from an uploaded photo, list them, read one, follow its progress, cancel it,
 * resume a stopped one.
 * Every run goes through `reconstruct` on the shared pool, so several can be queued at once.
 */
import path from "node:path";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { reconstruct } from "../api/reconstruct.ts";
import { resume } from "../api/resume.ts";
import { InputError } from "../errors.ts";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { runDir } from "./run-files.ts";
import { listRuns, openRunById, runDetail } from "./run-views.ts";
import { streamFinished, streamRun } from "./sse.ts";
import { MAX_UPLOAD_BYTES, storeUpload } from "./uploads.ts";
import { StartRunFields } from "./wire.ts";

/** A folder name that sorts by time and says which photo it came from. */
export function newRunId(fileName: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  const stem =
    path
      .parse(fileName)
      .name.replace(/[^A-Za-z0-9_-]+/g, "-")
      .slice(0, 40) || "photo";
  return `${stamp}-${stem}-${Math.random().toString(36).slice(2, 6)}`;
}

export function parseFields(form: Record<string, unknown>): StartRunFields {
  const plain = Object.fromEntries(
    Object.entries(form).filter(([k, v]) => k !== "photo" && typeof v === "string" && v !== ""),
  );
  const parsed = StartRunFields.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

export function runRoutes(ctx: WebContext): Hono {
  const app = new Hono();
  const limit = bodyLimit({
    maxSize: MAX_UPLOAD_BYTES + 64 * 1024,
    onError: () => {
      throw new HttpError(413, `the upload is larger than ${MAX_UPLOAD_BYTES} bytes`);
    },
  });

  app.post("/api/runs", limit, async (c) => {
    const form = await c.req.parseBody().catch(() => {
      throw new HttpError(400, "send the photo as multipart/form-data");
    });
    const photo = form["photo"];
    if (!(photo instanceof File)) throw new HttpError(400, "no photo in the form (field 'photo')");
    const fields = parseFields(form);
    const id = newRunId(photo.name);
    const image = await storeUpload(ctx.runsDir, id, photo);
    const { model, ...options } = fields;
    const handle = reconstruct(image, {
      ...options,
      budget: Math.min(options.budget, ctx.maxBudget ?? Number.POSITIVE_INFINITY),
      model,
      outDir: runDir(ctx.runsDir, id),
      semanticMetrics: false,
      pool: ctx.pool,
    });
    ctx.live.add(id, handle);
    return c.json({ id }, 201);
  });

  app.get("/api/runs", async (c) => c.json(await listRuns(ctx.runsDir, ctx.live)));
  app.get("/api/runs/:id", async (c) => c.json(await runDetail(ctx.runsDir, c.req.param("id"), ctx.live)));

  app.get("/api/runs/:id/events", async (c) => {
    const id = c.req.param("id");
    const handle = ctx.live.get(id);
    if (handle) return streamRun(c, id, handle);
    return streamFinished(c, (await openRunById(ctx.runsDir, id)).status);
  });

  app.post("/api/runs/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const handle = ctx.live.get(id);
    if (!handle) throw new HttpError(404, `run ${id} is not running in this server`);
    handle.abort();
    await handle.result.catch(() => {});
    return c.json({ id, status: handle.status });
  });

  // An interrupted or failed run continues from its checkpoint on the shared pool.
  app.post("/api/runs/:id/resume", async (c) => {
    const id = c.req.param("id");
    if (ctx.live.get(id)?.status === "running") throw new HttpError(409, `run ${id} is still running`);
    const run = await openRunById(ctx.runsDir, id);
    if (run.status === "done") throw new HttpError(409, `run ${id} has already finished`);
    const handle = await resume(runDir(ctx.runsDir, id), { pool: ctx.pool }).catch((e) => {
      throw e instanceof InputError ? new HttpError(409, e.message) : e;
    });
    ctx.live.add(id, handle);
    return c.json({ id }, 202);
  });
  return app;
}
