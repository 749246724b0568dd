/**
 * The front end: the Vite build in web/dist, shipped with the package (no CDN, works offline).
 * Unknown paths that are not API or file routes get index.html (the page routes by hash).
 */
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { SeigError } from "../errors.ts";

export const CLIENT_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export async function assertClientBuilt(dist = CLIENT_DIST): Promise<void> {
  await readFile(path.join(dist, "index.html")).catch(() => {
    throw new SeigError(`the web front end is not built (${dist}); run \`npm run build:web\``);
  });
}

async function staticFile(dist: string, rel: string): Promise<string | null> {
  const root = await realpath(dist).catch(() => null);
  if (!root) return null;
  const real = await realpath(path.resolve(root, rel)).catch(() => null);
  return real?.startsWith(root + path.sep) ? real : null;
}

export function staticRoutes(dist = CLIENT_DIST): Hono {
  const app = new Hono();
  app.get("/*", async (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname).replace(/^\/+/, "") || "index.html";
    const file = (await staticFile(dist, rel)) ?? (await staticFile(dist, "index.html"));
    if (!file) return c.text("the front end is not built: run `npm run build:web`", 404);
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    // Vite names assets by content hash, so they may be cached for good; index.html may not.
    const cache = rel.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    return new Response(await readFile(file), { headers: { "content-type": type, "cache-control": cache } });
  });
  return app;
}
