/**
 * `seig edit`: change a scene program by instruction through the VLM. The generator picks the
 * stage the instruction belongs to and rewrites only that section, through the agent's candidate
 * machinery, so scope is enforced from fingerprints exactly as in a reconstruction (an edit that
 * touches another factor is rejected and the model told what it changed). The verifier sees the
 * before and after renders and the instruction; the result is written only when it agrees the
 * instruction was carried out. Otherwise nothing is written.
 */
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { CandidateStep } from "../agent/candidate.ts";
import type { AgentContext, RenderSpec } from "../agent/context.ts";
import type { Attempt } from "../agent/execute.ts";
import { sceneStatsText } from "../agent/scene-stats.ts";
import { DEFAULT_MAX_TOKENS } from "../agent/token-budgets.ts";
import { addResponse, emptyUsage, type UsageTotals, usageLine } from "../agent/usage.ts";
import type { FactorChange } from "../blender/fingerprint-diff.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { InputError, SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { programBody } from "../program/assemble.ts";
import { assertValidProgram } from "../program/validate.ts";
import { type ProgressSink, quietProgress } from "../run/progress.ts";
import type { Stage } from "../stages/index.ts";
import type { VlmClientOptions, VlmEvent } from "../vlm/client.ts";
import type { Env } from "../vlm/providers.ts";
import { createModelSession } from "../vlm/session.ts";
import { TraceRecorder } from "../vlm/trace.ts";
import { type EditJob, editAttempt } from "./edit-attempt.ts";
import { classifyInstruction } from "./edit-classify.ts";
import { type EditOutputs, editOutputPaths, writeEditOutputs } from "./edit-outputs.ts";
import type { EditScene } from "./edit-prompts.ts";

export const EditSettings = z.object({
  instruction: z.string().trim().min(1, "the instruction is empty"),
  /** Generator model spec (`anthropic:<id>`, `replay:<edit-trace.jsonl>`, ...). */
  model: z.string().min(1),
  /** Verifier model spec; the generator's when null. */
  verifierModel: z.string().min(1).nullable().default(null),
  /** Size of the before/after renders (what the models see). */
  width: z.number().int().min(16).max(4096).default(512),
  height: z.number().int().min(16).max(4096).default(384),
  samples: z.number().int().min(1).max(4096).default(16),
  seed: z.number().int().min(0).default(0),
  /** Candidates the verifier may turn down before the edit gives up. */
  attempts: z.number().int().min(1).max(10).default(3),
  /** Repair calls per candidate (errors, out-of-scope changes); they do not use up attempts. */
  repairLimit: z.number().int().min(0).max(10).default(3),
  reaskLimit: z.number().int().min(0).max(10).default(2),
  prices: z.string().nullable().default(null),
});
export type EditSettings = z.infer<typeof EditSettings>;
export type EditSettingsInput = z.input<typeof EditSettings>;

export interface EditRuntime {
  /** Blender workers; renders go below its own temporary folder. */
  pool: BlenderPool;
  /** Where keys and base URLs are read from (default process.env). */
  env?: Env;
  client?: Pick<VlmClientOptions, "maxRetries" | "backoff" | "timeoutMs">;
  progress?: ProgressSink;
}

export interface EditAttemptRecord {
  attempt: number;
  outcome: "no-candidate" | "no-change" | "not-carried-out" | "carried-out";
  reason: string;
  /** Every generator call of the attempt (first try and repairs) and what became of it. */
  steps: CandidateStep[];
}

export interface EditResult {
  outputs: EditOutputs;
  source: string;
  stage: Stage;
  stageReason: string;
  verdict: string;
  /** What the built scene shows changed: only factors of `stage`. */
  changes: FactorChange[];
  attempts: EditAttemptRecord[];
  usage: UsageTotals;
}

/** The input program as built and rendered: the reference every candidate is compared with. */
async function renderBefore(pool: BlenderPool, source: string, render: RenderSpec, outDir: string) {
  const reply = await pool.run({
    body: programBody(source),
    outDir,
    render: { ...render, views: [{ name: "render" }] },
    // What each section wrote, so a candidate's own out-of-scope writes are seen (scope-check.ts).
    sectionFingerprints: true,
  });
  const image = reply.images[0]?.path;
  if (!reply.ok || !image || !reply.fingerprint) {
    throw new InputError(
      `the program to edit does not run (${reply.error?.kind ?? "render"}: ${reply.error?.message ?? "no image"}): fix it first`,
    );
  }
  const attempt: Attempt = {
    source,
    render: image,
    loss: 0,
    psnr: Number.POSITIVE_INFINITY,
    fingerprint: reply.fingerprint,
    sections: reply.sections,
    objects: reply.objects,
  };
  return { attempt, image: await loadImage(image, { maxSide: 0 }) };
}

/** Edits `source` as instructed and writes the result to `outFile` (and its renders and trace beside it). */
interface EditSession {
  ctx: AgentContext;
  before: { attempt: Attempt; image: Awaited<ReturnType<typeof loadImage>> };
  usage: () => UsageTotals;
}

/** The models (traced into `work`), the original program rendered, and the agent context around them. */
async function openEditSession(
  source: string,
  settings: EditSettings,
  runtime: EditRuntime,
  work: string,
  progress: ProgressSink,
): Promise<EditSession> {
  const trace = await TraceRecorder.open(work);
  let usage = emptyUsage();
  const onEvent = (event: VlmEvent) => {
    if (event.type === "response") usage = addResponse(usage, event);
    if (event.type === "retry")
      progress({
        type: "note",
        text: `${event.purpose}: ${event.reason}, retry ${event.attempt}/${event.maxAttempts}`,
      });
  };
  const { generator, verifier } = await createModelSession(settings, {
    trace,
    env: runtime.env,
    onEvent,
    client: runtime.client,
  });
  const { pool } = runtime;
  const render: RenderSpec = {
    width: settings.width,
    height: settings.height,
    samples: settings.samples,
    seed: settings.seed,
  };
  progress({ type: "note", text: "rendering the program before the edit" });
  const before = await renderBefore(pool, source, render, path.join(work, "before"));
  const ctx: AgentContext = {
    generator,
    verifier,
    pool,
    targetPng: before.attempt.render,
    working: before.image,
    render,
    blenderVersion: pool.blenderVersion,
    repairLimit: settings.repairLimit,
    reaskLimit: settings.reaskLimit,
    maxTokens: { ...DEFAULT_MAX_TOKENS },
    runDir: work,
    progress,
    renders: { count: 1 },
  };
  return { ctx, before, usage: () => usage };
}

function reportAttempt(progress: ProgressSink, n: number, total: number, record: EditAttemptRecord): void {
  for (const step of record.steps.filter((s) => s.outcome !== "ok"))
    progress({ type: "note", text: `attempt ${n}: ${step.call} ${step.outcome}: ${step.message}` });
  progress({ type: "note", text: `attempt ${n}/${total}: ${record.outcome} — ${record.reason}` });
}

/** Edits `source` as instructed and writes the result to `outFile` (and its renders and trace beside it). */
export async function editProgram(
  source: string,
  outFile: string,
  settingsInput: EditSettingsInput,
  runtime: EditRuntime,
): Promise<EditResult> {
  const settings = EditSettings.parse(settingsInput);
  assertValidProgram(source);
  const progress = runtime.progress ?? quietProgress;
  const work = await mkdtemp(path.join(runtime.pool.workDir, "edit-"));
  try {
    const { ctx, before, usage } = await openEditSession(source, settings, runtime, work, progress);
    const blenderVersion = runtime.pool.blenderVersion;
    const stats = sceneStatsText(before.attempt.objects);
    const scene: EditScene = {
      instruction: settings.instruction,
      body: programBody(source),
      stats,
      blenderVersion,
    };
    const choice = await classifyInstruction(ctx, scene, before.attempt.render);
    progress({ type: "note", text: `${choice.stage} edit: ${choice.reason}` });
    const job: EditJob = {
      ctx,
      instruction: settings.instruction,
      stage: choice.stage,
      before: before.attempt,
      scene,
    };
    const records: EditAttemptRecord[] = [];
    let feedback: string | null = null;
    for (let n = 1; n <= settings.attempts; n++) {
      const result = await editAttempt(job, feedback, path.join(work, `attempt-${n}`));
      const outcome = result.kind === "failed" ? result.outcome : "carried-out";
      records.push({ attempt: n, outcome, reason: result.reason, steps: result.steps });
      reportAttempt(progress, n, settings.attempts, records.at(-1)!);
      if (result.kind === "failed") {
        feedback = result.feedback;
        continue;
      }
      const { candidate, comparison, changes } = result;
      const outputs = editOutputPaths(outFile);
      await writeEditOutputs(outputs, {
        source: candidate.source,
        before: before.attempt.render,
        after: candidate.render,
        comparison,
        traceDir: work,
      });
      progress({ type: "note", text: `model use: ${usageLine(usage().total)}` });
      const { stage, reason: stageReason } = choice;
      const verdict = result.reason;
      return {
        outputs,
        source: candidate.source,
        stage,
        stageReason,
        verdict,
        changes,
        attempts: records,
        usage: usage(),
      };
    }
    const last = records.at(-1)!.reason.replace(/\s+/g, " ").trim();
    const tries = `${settings.attempts} attempt${settings.attempts === 1 ? "" : "s"}`;
    throw new SeigError(
      `the ${choice.stage} edit was not carried out after ${tries} (last: ${last}); nothing was written: rephrase the instruction, raise --attempts or try a stronger --model`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
