/**
 * The web app's HTTP surface, assembled from its route groups. A thin layer: every action is a
 * call into the library API (src/api); errors come back as JSON with the library's message.
 */
import { Hono } from "hono";
import { requireToken } from "./auth.ts";
import type { WebContext } from "./context.ts";
import { errorResponse } from "./http-error.ts";
import { benchRoutes } from "./routes-bench.ts";
import { editRoutes } from "./routes-edit.ts";
import { fileRoutes } from "./routes-files.ts";
import { runRoutes } from "./routes-runs.ts";
import { sceneRoutes } from "./routes-scene.ts";
import { stageRoutes } from "./routes-stages.ts";
import { staticRoutes } from "./static.ts";

export interface AppOptions extends WebContext {
  /** Required on every request when set (non-loopback hosts). */
  token?: string;
  clientDist?: string;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.onError((e, c) => errorResponse(e, c));
  if (options.token) app.use("*", requireToken(options.token));
  app.route("/", runRoutes(options));
  app.route("/", sceneRoutes(options));
  app.route("/", stageRoutes(options));
  app.route("/", editRoutes(options));
  app.route("/", benchRoutes(options));
  app.route("/", fileRoutes(options));
  app.all("/api/*", (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.route("/", staticRoutes(options.clientDist));
  return app;
}
