/**
 * Running a candidate program: build and render it in the pool, score the render against the
 * target, and turn a failure into text the generator can act on (message, traceback lines of the
 * program, the offending line).
 */
import path from "node:path";
import type { Fingerprint, JobFailure, ObjectStats } from "../blender/protocol.ts";
import { loadImage } from "../image/load.ts";
import { mse, psnrFromMse } from "../metrics/psnr.ts";
import { reconstructionLoss } from "../offline/loss.ts";
import { programBody } from "../program/assemble.ts";
import type { Stage } from "../stages/index.ts";
import type { AgentContext } from "./context.ts";

/** A program that ran and rendered: everything later steps compare and report. */
export interface Attempt {
  source: string;
  /** The render at the working resolution. */
  render: string;
  /** The offline search's loss (MSE + 0.05·(1 − SSIM)): the metric tie-break. */
  loss: number;
  psnr: number;
  fingerprint: Fingerprint;
  /** The scene's fingerprint after each section ran (what each section's own code wrote). */
  sections?: Partial<Record<Stage, Fingerprint>> | null | undefined;
  objects: ObjectStats[];
}

export type Execution = { ok: true; attempt: Attempt } | { ok: false; failure: JobFailure };

/** What running a program needs of the run: the pool, the render settings, the target, the render counter. */
export type ExecuteContext = Pick<AgentContext, "pool" | "render" | "working" | "renders">;

export async function executeProgram(
  ctx: ExecuteContext,
  source: string,
  outDir: string,
): Promise<Execution> {
  ctx.renders.count++;
  const reply = await ctx.pool.run({
    body: programBody(source),
    outDir,
    render: { ...ctx.render, views: [{ name: "render" }] },
    sectionFingerprints: true,
  });
  const image = reply.images[0]?.path;
  if (!reply.ok || !image || !reply.fingerprint) {
    return {
      ok: false,
      failure: reply.error ?? {
        kind: "render",
        message: "the program built but produced no image",
        traceback: "",
        line: null,
      },
    };
  }
  const rendered = await loadImage(image, { maxSide: 0 });
  return {
    ok: true,
    attempt: {
      source,
      render: path.resolve(image),
      loss: reconstructionLoss(ctx.working, rendered),
      psnr: psnrFromMse(mse(ctx.working, rendered)),
      fingerprint: reply.fingerprint,
      sections: reply.sections as Partial<Record<Stage, Fingerprint>> | null,
      objects: reply.objects,
    },
  };
}

/** The failure as the generator should read it: no worker paths, only the program's own frames. */
export function describeFailure(failure: JobFailure, source: string): string {
  const frames = failure.traceback
    .split("\n")
    .filter(
      (l) =>
        l.includes('"program.py"') || (l.trim() !== "" && !l.startsWith(" ") && !l.startsWith("Traceback")),
    )
    .map((l) => l.trim());
  const lines = [`The program failed (${failure.kind}): ${failure.message}`];
  if (frames.length) lines.push(`Traceback (program frames):\n${frames.join("\n")}`);
  if (failure.line !== null) {
    const code = source.replace(/\r\n/g, "\n").split("\n")[failure.line - 1];
    if (code !== undefined) lines.push(`Line ${failure.line} of the program is: ${code.trim()}`);
  }
  return lines.join("\n");
}
