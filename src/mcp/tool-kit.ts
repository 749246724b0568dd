/**
 * What every tool handler shares: results with structured content, errors as one line (a tool
 * error the assistant can act on, never a stack trace), progress notifications when the client
 * asked for them, and program arguments given as text or as a path inside the workspace.
 */
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { ProgramRef } from "../api/program-ref.ts";
import { InputError, isSeigError, oneLine } from "../errors.ts";
import type { ServerContext } from "./context.ts";
import { type Content, textContent } from "./images.ts";

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function result(structured: Record<string, unknown>, content: Content[]): CallToolResult {
  return { structuredContent: structured, content };
}

/** Runs a handler; a thrown error becomes a one-line tool error. */
export async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (e) {
    const text = isSeigError(e) ? oneLine(e) : `unexpected failure: ${oneLine(e)}`;
    return { isError: true, content: [textContent(text)] };
  }
}

export type Progress = (progress: number, total: number | undefined, message: string) => Promise<void>;

/** Sends notifications/progress for this request, if the client gave a progress token. */
export function progressFor(extra: Extra): Progress {
  const token = extra._meta?.progressToken;
  return async (progress, total, message) => {
    if (token === undefined) return;
    await extra.sendNotification({
      method: "notifications/progress",
      params: { progressToken: token, progress, ...(total === undefined ? {} : { total }), message },
    });
  };
}

export const ProgramArgs = {
  program: z.string().optional().describe("scene program text (give this or program_path)"),
  program_path: z
    .string()
    .optional()
    .describe("a program.py or a run folder, relative to the workspace root (give this or program)"),
};

export async function programArg(
  ctx: ServerContext,
  args: { program?: string | undefined; program_path?: string | undefined },
): Promise<ProgramRef> {
  if ((args.program === undefined) === (args.program_path === undefined))
    throw new InputError("give exactly one of program (text) and program_path (a file in the workspace)");
  if (args.program !== undefined) return { source: args.program };
  return { path: await ctx.workspace.existing(args.program_path!, "program_path") };
}

/** A folder to write into: the one asked for (inside the root), or seig-mcp/<kind>/<id>. */
export async function outputFolder(
  ctx: ServerContext,
  asked: string | undefined,
  kind: Parameters<ServerContext["outputDir"]>[0],
  id: string,
): Promise<string> {
  if (asked !== undefined) return ctx.workspace.writable(asked, "out_dir");
  return ctx.outputDir(kind, id);
}
