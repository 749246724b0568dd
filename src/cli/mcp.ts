/** `seig mcp`: the MCP server (src/mcp) on stdio, or on Streamable HTTP with --http <port>. */
import { Command, Option } from "commander";
import { InputError } from "../errors.ts";
import { addRuntimeOptions, intOption, type RuntimeOptions } from "./options.ts";

interface McpOptions extends RuntimeOptions {
  root: string;
  http?: number;
  semantic: boolean;
}

export function registerMcp(cli: Command): void {
  const command = new Command("mcp")
    .description("serve seig's tools to MCP clients (Claude Desktop, Claude Code, Cursor): stdio, or --http")
    .addOption(
      new Option("--root <dir>", "workspace root; every path argument must stay inside it").default("."),
    )
    .addOption(
      new Option("--http <port>", "serve Streamable HTTP on 127.0.0.1:<port> instead of stdio").argParser(
        intOption("--http", 0, 65535),
      ),
    )
    .addOption(
      new Option(
        "--semantic",
        "compare_images also computes CLIP and DINO (may download models once)",
      ).default(false),
    )
    .addHelpText("after", "\nSee docs/mcp.md for client configuration and a worked session.\n")
    .action(async (options: McpOptions) => {
      if (options.unsafeNoSandbox) throw new InputError("seig mcp always runs programs in the OS sandbox");
      // Loaded here, not at the top: the SDK is large and every other command would pay for it.
      const { createContext } = await import("../mcp/context.ts");
      const { serveHttp, serveStdio } = await import("../mcp/server.ts");
      const ctx = await createContext({
        root: options.root,
        concurrency: options.concurrency,
        semantic: options.semantic,
      });
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      try {
        if (options.http === undefined) {
          await serveStdio(ctx, stop.signal);
          return;
        }
        const port = await serveHttp(ctx, options.http, stop.signal);
        process.stderr.write(
          `seig mcp: Streamable HTTP on http://127.0.0.1:${port}/mcp (root ${ctx.workspace.root})\n`,
        );
        await new Promise<void>((resolve) =>
          stop.signal.addEventListener("abort", () => resolve(), { once: true }),
        );
      } finally {
        await ctx.close();
      }
    });
  cli.addCommand(addRuntimeOptions(command));
}
