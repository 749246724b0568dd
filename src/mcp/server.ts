/**
 * The seig MCP server: one McpServer with every tool group and the prompt, over stdio or over
 * Streamable HTTP on 127.0.0.1. Tools share one ServerContext (warm pool, runs, sessions).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { oneLine } from "../errors.ts";
import type { ServerContext } from "./context.ts";
import { registerPrompt } from "./prompt.ts";
import { registerEditTools } from "./tools-edit.ts";
import { registerRunTools } from "./tools-runs.ts";
import { registerSceneTools } from "./tools-scene.ts";
import { registerSessionTools } from "./tools-session.ts";

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
  .version as string;

export function createSeigServer(ctx: ServerContext): McpServer {
  const server = new McpServer(
    { name: "seig", version: VERSION },
    {
      instructions:
        "seig turns a photo into an editable Blender scene program. Paths are relative to the workspace root. Use the reconstruct_photo prompt to drive the staged method yourself (start_session … finish_session), or reconstruct for a background run.",
    },
  );
  registerSceneTools(server, ctx);
  registerEditTools(server, ctx);
  registerRunTools(server, ctx);
  registerSessionTools(server, ctx);
  registerPrompt(server);
  return server;
}

/**
 * Serves on stdin/stdout until the client closes stdin or `signal` fires. Clients end stdin and
 * wait a moment before killing the server; ending here lets the caller close the pool cleanly.
 */
export async function serveStdio(ctx: ServerContext, signal: AbortSignal): Promise<void> {
  const server = createSeigServer(ctx);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  const stop = () => void server.close();
  process.stdin.once("end", stop);
  signal.addEventListener("abort", stop, { once: true });
  await server.connect(new StdioServerTransport());
  await closed;
  process.stdin.off("end", stop);
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
): Promise<void> {
  if (!req.url?.startsWith("/mcp")) {
    res.writeHead(404).end("seig MCP server: POST /mcp\n");
    return;
  }
  // Stateless transport per request; the state that matters (runs, sessions, pool) is in ctx.
  const server = createSeigServer(ctx);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableDnsRebindingProtection: true,
    allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
  });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

/** Serves Streamable HTTP on 127.0.0.1:<port> (never on other interfaces) until `signal` fires. */
export async function serveHttp(ctx: ServerContext, port: number, signal: AbortSignal): Promise<number> {
  const http = createServer((req, res) => {
    handle(ctx, req, res, boundPort()).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(`seig: ${oneLine(e)}\n`);
    });
  });
  const boundPort = () => {
    const address = http.address();
    return typeof address === "object" && address ? address.port : port;
  };
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", resolve);
  });
  signal.addEventListener("abort", () => http.close(), { once: true });
  return boundPort();
}
