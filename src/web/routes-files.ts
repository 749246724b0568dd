/** Run files, served only from inside their run folder (see run-files.ts). */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import type { WebContext } from "./context.ts";
import { contentType, fileInRun } from "./run-files.ts";

export function fileRoutes(ctx: WebContext): Hono {
  const app = new Hono();
  app.get("/files/:id/*", async (c) => {
    const id = c.req.param("id");
    // The raw path, decoded once: "..", "%2e%2e" and the like all reach fileInRun's check.
    const prefix = `/files/${encodeURIComponent(id)}/`;
    const rel = decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length));
    const file = await fileInRun(ctx.runsDir, id, rel);
    const headers: Record<string, string> = {
      "content-type": contentType(file),
      "cache-control": "no-cache",
    };
    if (c.req.query("download") !== undefined)
      headers["content-disposition"] = `attachment; filename="${path.basename(file).replace(/"/g, "")}"`;
    return new Response(await readFile(file), { headers });
  });
  return app;
}
