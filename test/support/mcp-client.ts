/** The MCP SDK's own client, talking to `node bin/seig.js mcp` over stdio as an assistant would. */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const bin = fileURLToPath(new URL("../../bin/seig.js", import.meta.url));

export interface McpSession {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

export async function connectSeig(root: string, extraArgs: string[] = []): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "mcp", "--root", root, "--concurrency", "2", ...extraArgs],
    env: { ...(process.env as Record<string, string>) },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const client = new Client({ name: "seig-test", version: "0.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Calls a tool; long timeouts because Blender renders are behind most tools. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: { progress: number; total?: number; message?: string }) => void,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, {
    timeout: 300_000,
    onprogress,
    resetTimeoutOnProgress: true,
  })) as CallToolResult;
}

export function text(result: CallToolResult): string {
  return result.content
    .filter((c) => c.type === "text")
    .map((c) => (c as { text: string }).text)
    .join("\n");
}

export function images(result: CallToolResult): Buffer[] {
  return result.content
    .filter((c) => c.type === "image")
    .map((c) => Buffer.from((c as { data: string }).data, "base64"));
}
