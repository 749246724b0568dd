/** Benchmark results from the runs page: the list, and each folder's page, tables and plots. */
import { readFile } from "node:fs/promises";
import { Hono } from "hono";
import { benchFolder, listBench, rebuiltPage } from "./bench-views.ts";
import type { WebContext } from "./context.ts";
import { HttpError } from "./http-error.ts";
import { contentType, fileInside } from "./run-files.ts";

export function benchRoutes(ctx: WebContext): Hono {
  const app = new Hono();
  app.get("/api/bench", async (c) => c.json(await listBench(ctx.benchDir)));
  app.get("/bench/:name/*", async (c) => {
    const name = c.req.param("name");
    const dir = benchFolder(ctx.benchDir, name);
    const prefix = `/bench/${encodeURIComponent(name)}/`;
    const rel = decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length)) || "index.html";
    const file = await fileInside(dir, rel, `bench results ${name}`).catch(async (e: unknown) => {
      // A folder with results.json but no page gets one made from its results.
      if (rel === "index.html" && e instanceof HttpError && e.status === 404) return null;
      throw e;
    });
    if (!file) return c.html(await rebuiltPage(dir, name));
    return new Response(await readFile(file), {
      headers: { "content-type": contentType(file), "cache-control": "no-cache" },
    });
  });
  return app;
}
