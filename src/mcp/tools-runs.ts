/**
 * Reconstructions through MCP: `reconstruct` answers at once with a run id; `run_status` reports
 * (and, with wait_seconds, waits while sending progress notifications — MCP ties those to an
 * open request, so they come with the call that waits); `run_result` and `cancel_run`.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ReconstructEvent } from "../api/events.ts";
import { openRun } from "../api/open-run.ts";
import { reconstruct } from "../api/reconstruct.ts";
import { InputError } from "../errors.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import { SceneKindChoice } from "../program/scene-kind.ts";
import { STAGES } from "../stages/index.ts";
import type { ServerContext } from "./context.ts";
import { imageContent, textContent } from "./images.ts";
import { PhotoArgs, photoArg } from "./photo-arg.ts";
import { describeEvent, followRun, statusOf } from "./run-progress.ts";
import { type Extra, guarded, outputFolder, progressFor, result } from "./tool-kit.ts";

const RunStatus = {
  run_id: z.string(),
  status: z.enum(["running", "done", "interrupted", "failed"]),
  out_dir: z.string(),
  events: z.number().int(),
  last_event: z.record(z.string(), z.unknown()).nullable(),
  psnr: z.number().nullable(),
};

function handleOf(ctx: ServerContext, id: string) {
  const handle = ctx.runs.get(id);
  if (!handle)
    throw new InputError(
      `no run ${id} in this server (run ids: ${[...ctx.runs.keys()].join(", ") || "none"})`,
    );
  return handle;
}

function registerReconstruct(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "reconstruct",
    {
      title: "Reconstruct a photo (background run)",
      description:
        "Start reconstructing a photo into a scene program; answers at once with a run id. method \"offline\" (default) needs no model; a model spec (anthropic:<id>, openai:<id>, …) runs seig's own VLM agent with the server's API keys. Follow it with run_status (wait_seconds streams progress), then run_result. To be the VLM yourself, use start_session instead.",
      inputSchema: {
        ...PhotoArgs,
        method: z.string().default("offline"),
        budget: z.string().optional().describe('offline search budget: renders ("300") or seconds ("90s")'),
        working_side: z.number().int().min(16).max(1024).optional(),
        final_side: z.number().int().min(16).max(2048).optional(),
        stages: z.array(z.enum(STAGES)).optional(),
        seed: z.number().int().min(0).default(0),
        scene_kind: SceneKindChoice.default("auto").describe(
          "offline method: the photo's kind (ground, topdown, object, closeup); auto lets the analysis choose",
        ),
        out_dir: z.string().optional(),
      },
      outputSchema: RunStatus,
    },
    (args) =>
      guarded(async () => {
        const photo = await photoArg(ctx, args);
        const runId = ctx.nextId("run");
        const outDir = await outputFolder(ctx, args.out_dir, "runs", runId);
        const handle = reconstruct(photo, {
          outDir,
          model: args.method,
          budget: args.budget,
          workingSide: args.working_side,
          finalSide: args.final_side,
          stages: args.stages,
          seed: args.seed,
          sceneKind: args.scene_kind,
          sandbox: ctx.sandbox,
          concurrency: ctx.concurrency,
          pool: ctx.pool,
        });
        ctx.runs.set(runId, handle);
        const status = statusOf(ctx, runId, handle);
        return result(status, [
          textContent(`started ${runId} → ${status.out_dir}; follow it with run_status`),
        ]);
      }),
  );
}

function registerRunStatus(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "run_status",
    {
      title: "Status of a reconstruction",
      description:
        "Where a run is. With wait_seconds, waits until it ends or the time is up, sending a progress notification per event (give a progressToken to see them).",
      inputSchema: { run_id: z.string(), wait_seconds: z.number().min(0).max(600).default(0) },
      outputSchema: RunStatus,
    },
    (args, extra: Extra) =>
      guarded(async () => {
        const handle = handleOf(ctx, args.run_id);
        await followRun(handle, args.wait_seconds, progressFor(extra), extra.signal);
        const status = statusOf(ctx, args.run_id, handle);
        // The last event is in the reply too: a client may drop a progress notification that
        // arrives in the same read as the reply (the SDK handles notifications a tick later).
        const last = handle.events.at(-1);
        const lastLine = last ? `; last: ${describeEvent(last)}` : "";
        return result(status, [
          textContent(`${args.run_id}: ${status.status} after ${status.events} events${lastLine}`),
        ]);
      }),
  );
}

function registerRunResult(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "run_result",
    {
      title: "Result of a finished reconstruction",
      description:
        "The run's metrics, its program and its final render (as an image; the full-size file is final.png).",
      inputSchema: { run_id: z.string() },
      outputSchema: {
        run_id: z.string(),
        method: z.string().nullable(),
        out_dir: z.string(),
        metrics: MetricReport,
        stages: z.record(z.string(), z.record(z.string(), z.unknown())),
        program_path: z.string(),
        program: z.string(),
        final_path: z.string(),
      },
    },
    (args) =>
      guarded(async () => {
        const handle = handleOf(ctx, args.run_id);
        if (handle.status !== "done")
          throw new InputError(`${args.run_id} is ${handle.status}, not done; wait with run_status first`);
        const run = await openRun(handle.outDir);
        if (!run.metrics || run.program === null)
          throw new InputError(`${args.run_id} has no metrics or program`);
        const { psnr, ssim, lpips } = run.metrics.final;
        return result(
          {
            run_id: args.run_id,
            method: run.method,
            out_dir: ctx.workspace.show(run.dir),
            metrics: run.metrics.final,
            stages: run.metrics.stages,
            program_path: ctx.workspace.show(run.files.program),
            program: run.program,
            final_path: ctx.workspace.show(run.files.final),
          },
          [
            textContent(
              `${args.run_id}: PSNR ${psnr?.toFixed(2)} dB, SSIM ${ssim?.toFixed(4)}, LPIPS ${lpips?.toFixed(4) ?? "unavailable"}`,
            ),
            await imageContent(run.files.final),
          ],
        );
      }),
  );
}

function registerCancel(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "cancel_run",
    {
      title: "Cancel a reconstruction",
      description: "Stop a run at its next render; its folder keeps what was done.",
      inputSchema: { run_id: z.string() },
      outputSchema: RunStatus,
    },
    (args) =>
      guarded(async () => {
        const handle = handleOf(ctx, args.run_id);
        handle.abort();
        await handle.result.catch(() => {});
        const status = statusOf(ctx, args.run_id, handle);
        return result(status, [textContent(`${args.run_id}: ${status.status}`)]);
      }),
  );
}

export function registerRunTools(server: McpServer, ctx: ServerContext): void {
  registerReconstruct(server, ctx);
  registerRunStatus(server, ctx);
  registerRunResult(server, ctx);
  registerCancel(server, ctx);
}

export type { ReconstructEvent };
