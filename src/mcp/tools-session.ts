/**
 * The staged method with the assistant as generator and verifier: start_session, get_stage_brief,
 * submit_section, next_stage, finish_session. seig renders, scope-checks and scores; the
 * assistant looks at the images, writes each stage's section and judges when a stage is done.
 */
import path from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { writeComparisonImage } from "../agent/comparison-image.ts";
import { openRun } from "../api/open-run.ts";
import { loadProgram } from "../api/program-ref.ts";
import { InputError } from "../errors.ts";
import { MetricReport } from "../metrics/metric-report.ts";
import { STAGES } from "../stages/index.ts";
import type { ServerContext } from "./context.ts";
import { imageContent, textContent } from "./images.ts";
import { PhotoArgs, photoArg } from "./photo-arg.ts";
import type { StagedSession } from "./session.ts";
import { stageBrief } from "./session-brief.ts";
import { finishSession } from "./session-finish.ts";
import { startSession } from "./session-start.ts";
import { guarded, outputFolder, result } from "./tool-kit.ts";

const SessionId = { session_id: z.string() };

function sessionOf(ctx: ServerContext, id: string): StagedSession {
  const session = ctx.sessions.get(id);
  if (!session) throw new InputError(`no session ${id} in this server; start one with start_session`);
  return session;
}

async function comparison(session: StagedSession, render: string): Promise<string> {
  const file = render.replace(/\.png$/, "-vs-target.png");
  await writeComparisonImage(path.join(session.setup.dir, "target-working.png"), render, file);
  return file;
}

const START_INPUT = {
  ...PhotoArgs,
  scaffold: z
    .string()
    .optional()
    .describe("a scene program to start from (default: seig's offline scaffold)"),
  scaffold_path: z.string().optional().describe("the same, as a file in the workspace"),
  working_side: z.number().int().min(16).max(1024).default(256),
  final_side: z.number().int().min(16).max(2048).default(512),
  samples: z.number().int().min(1).max(1024).default(16),
  seed: z.number().int().min(0).default(0),
  stages: z.array(z.enum(STAGES)).min(1).optional(),
};

async function startSessionTool(ctx: ServerContext, args: z.infer<z.ZodObject<typeof START_INPUT>>) {
  const photo = await photoArg(ctx, args);
  if (args.scaffold !== undefined && args.scaffold_path !== undefined)
    throw new InputError("give at most one of scaffold and scaffold_path");
  const scaffold =
    args.scaffold_path !== undefined
      ? await loadProgram({ path: await ctx.workspace.existing(args.scaffold_path, "scaffold_path") })
      : args.scaffold !== undefined
        ? await loadProgram({ source: args.scaffold })
        : null;
  const id = ctx.nextId("session");
  const dir = await outputFolder(ctx, undefined, "sessions", id);
  const session = await startSession(await ctx.pool.get(), {
    id,
    dir,
    photo,
    scaffold: scaffold?.source ?? null,
    workingSide: args.working_side,
    finalSide: args.final_side,
    samples: args.samples,
    seed: args.seed,
    stages: STAGES.filter((s) => (args.stages ?? STAGES).includes(s)),
  });
  ctx.sessions.set(id, session);
  const best = session.best;
  return result(
    {
      session_id: id,
      stages: session.setup.stages,
      stage: session.currentStage(),
      psnr: best.psnr,
      loss: best.loss,
      program: best.source,
      session_dir: ctx.workspace.show(dir),
    },
    [
      textContent(
        `session ${id}: scaffold PSNR ${best.psnr.toFixed(2)} dB; first stage ${session.currentStage()} — call get_stage_brief`,
      ),
      await imageContent(await comparison(session, best.render)),
    ],
  );
}

function registerStart(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "start_session",
    {
      title: "Start a staged reconstruction you drive",
      description:
        "You become the generator and verifier of seig's staged method. seig makes (or takes) a scaffold program for the photo, renders it and scores it; then, per stage (geometry → material → composition → lighting), call get_stage_brief, submit_section until the stage looks right, and next_stage; finally finish_session.",
      inputSchema: START_INPUT,
      outputSchema: {
        session_id: z.string(),
        stages: z.array(z.string()),
        stage: z.string(),
        psnr: z.number(),
        loss: z.number(),
        program: z.string(),
        session_dir: z.string(),
      },
    },
    (args) => guarded(() => startSessionTool(ctx, args)),
  );
}

function registerBrief(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "get_stage_brief",
    {
      title: "The current stage's brief",
      description:
        "The stage's goal, what it may edit, its checklist, the section to rewrite and the PARAMS it owns, with the target, the current render and both side by side.",
      inputSchema: SessionId,
      outputSchema: {
        stage: z.string(),
        index: z.number().int(),
        total: z.number().int(),
        goal: z.string(),
        may_edit: z.string(),
        checklist: z.array(z.string()),
        ignore: z.string(),
        section_function: z.string(),
        owned_params: z.record(z.string(), z.unknown()),
        program: z.string(),
        psnr: z.number(),
        loss: z.number(),
        render_path: z.string(),
      },
    },
    (args) =>
      guarded(async () => {
        const session = sessionOf(ctx, args.session_id);
        const stage = session.currentStage();
        const best = session.best;
        const brief = stageBrief(stage, best, session.setup.pool.blenderVersion);
        return result(
          {
            stage,
            index: session.stageIndex,
            total: session.setup.stages.length,
            goal: brief.goal,
            may_edit: brief.mayEdit,
            checklist: brief.checklist,
            ignore: brief.ignore,
            section_function: brief.sectionFunction,
            owned_params: brief.ownedParams,
            program: best.source,
            psnr: best.psnr,
            loss: best.loss,
            render_path: ctx.workspace.show(best.render),
          },
          [
            textContent(brief.text),
            textContent("Target photo (working resolution):"),
            await imageContent(path.join(session.setup.dir, "target-working.png")),
            textContent(`Current render (PSNR ${best.psnr.toFixed(2)} dB):`),
            await imageContent(best.render),
            textContent("Side by side (target left, current render right):"),
            await imageContent(await comparison(session, best.render)),
          ],
        );
      }),
  );
}

function registerSubmit(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "submit_section",
    {
      title: "Submit the current stage's section",
      description:
        "Your new code for the current stage's section (the complete `def build_…(P):` function) and optional PARAMS values. seig runs it in the sandbox, rejects it if the built scene changed anything outside this stage (by fingerprints), and scores it; a submission that scores worse is reported but not kept unless insist is true.",
      inputSchema: {
        ...SessionId,
        section: z.string().min(1),
        params: z.record(z.string(), z.unknown()).default({}),
        insist: z.boolean().default(false),
      },
      outputSchema: {
        stage: z.string(),
        outcome: z.enum([
          "kept",
          "kept-insisted",
          "regression",
          "out-of-scope",
          "invalid",
          "unchanged",
          "error",
        ]),
        kept: z.boolean(),
        message: z.string(),
        psnr: z.number().nullable(),
        previous_psnr: z.number(),
        best_psnr: z.number(),
        render_path: z.string().nullable(),
      },
    },
    (args) =>
      guarded(async () => {
        const session = sessionOf(ctx, args.session_id);
        const s = await session.submit(args.section, args.params as never, args.insist);
        const kept = s.outcome.startsWith("kept");
        const images = s.render ? [await imageContent(await comparison(session, s.render))] : [];
        return result(
          {
            stage: s.stage,
            outcome: s.outcome,
            kept,
            message: s.message,
            psnr: s.psnr,
            previous_psnr: s.previousPsnr,
            best_psnr: session.best.psnr,
            render_path: s.render ? ctx.workspace.show(s.render) : null,
          },
          [textContent(`${kept ? "" : "not kept — "}${s.outcome}: ${s.message}`), ...images],
        );
      }),
  );
}

function registerNext(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "next_stage",
    {
      title: "Close this stage and move to the next",
      description: "Keeps the stage's best program and moves on; after the last stage, call finish_session.",
      inputSchema: SessionId,
      outputSchema: { finished: z.string(), next: z.string().nullable(), psnr: z.number() },
    },
    (args) =>
      guarded(async () => {
        const session = sessionOf(ctx, args.session_id);
        const finished = session.currentStage();
        const next = session.next();
        const psnr = session.best.psnr;
        const line = `${finished} closed at PSNR ${psnr.toFixed(2)} dB; ${next ? `next: ${next} — call get_stage_brief` : "all stages done — call finish_session"}`;
        return result({ finished, next, psnr }, [textContent(line)]);
      }),
  );
}

function registerFinish(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    "finish_session",
    {
      title: "Finish the session into a run folder",
      description:
        "Renders the final image at the target's resolution and writes a normal seig run folder (method mcp-assistant) with your submissions in submissions.jsonl; `seig render`, `seig compare` and bench read it like any run.",
      inputSchema: { ...SessionId, out_dir: z.string().optional() },
      outputSchema: {
        run_dir: z.string(),
        metrics: MetricReport,
        stages: z.record(z.string(), z.record(z.string(), z.unknown())),
        submissions: z.number().int(),
      },
    },
    (args) =>
      guarded(async () => {
        const session = sessionOf(ctx, args.session_id);
        const outDir = await outputFolder(ctx, args.out_dir, "runs", session.id);
        const dir = await finishSession(session, outDir);
        ctx.sessions.delete(session.id);
        const run = await openRun(dir);
        const metrics = run.metrics!;
        return result(
          {
            run_dir: ctx.workspace.show(dir),
            metrics: metrics.final,
            stages: metrics.stages,
            submissions: session.submissions.length,
          },
          [
            textContent(`wrote ${ctx.workspace.show(dir)}: final PSNR ${metrics.final.psnr?.toFixed(2)} dB`),
            await imageContent(run.files.final),
          ],
        );
      }),
  );
}

export function registerSessionTools(server: McpServer, ctx: ServerContext): void {
  registerStart(server, ctx);
  registerBrief(server, ctx);
  registerSubmit(server, ctx);
  registerNext(server, ctx);
  registerFinish(server, ctx);
}
