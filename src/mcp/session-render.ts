/**
 * Rendering a session's program at its working resolution and scoring it against the target:
 * the assistant-driven method's render-and-score step. Blender writes into the pool's own folder
 * (the sandbox never sees the workspace); the render is copied into the session folder.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { BlenderPool } from "../blender/pool.ts";
import type { Fingerprint, JobFailure, ObjectStats } from "../blender/protocol.ts";
import { loadImage } from "../image/load.ts";
import type { RgbImage } from "../image/types.ts";
import { mse, psnrFromMse } from "../metrics/psnr.ts";
import { ssim } from "../metrics/ssim.ts";
import { reconstructionLoss } from "../offline/loss.ts";
import { programBody } from "../program/assemble.ts";
import type { Stage } from "../stages/index.ts";

/** A program that ran and rendered. */
export interface Scored {
  source: string;
  /** The render at the working resolution, in the session folder. */
  render: string;
  psnr: number;
  ssim: number;
  /** The offline method's loss, MSE + 0.05·(1 − SSIM): lower is better; regressions are judged by it. */
  loss: number;
  fingerprint: Fingerprint;
  /** The scene's fingerprint after each section ran: the agent's scope check reads what a section itself wrote. */
  sections: Partial<Record<Stage, Fingerprint>> | null;
  objects: ObjectStats[];
}

export interface WorkingRender {
  pool: BlenderPool;
  working: RgbImage;
  samples: number;
  seed: number;
}

export type Execution = { ok: true; scored: Scored } | { ok: false; failure: JobFailure };

export async function renderAndScore(
  settings: WorkingRender,
  source: string,
  renderFile: string,
): Promise<Execution> {
  const { pool, working } = settings;
  const reply = await pool.run({
    body: programBody(source),
    render: {
      width: working.width,
      height: working.height,
      samples: settings.samples,
      seed: settings.seed,
      views: [{ name: "render" }],
    },
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
  await mkdir(path.dirname(renderFile), { recursive: true });
  await copyFile(image, renderFile);
  const rendered = await loadImage(renderFile, { maxSide: 0 });
  return {
    ok: true,
    scored: {
      source,
      render: renderFile,
      psnr: psnrFromMse(mse(working, rendered)),
      ssim: ssim(working, rendered),
      loss: reconstructionLoss(working, rendered),
      fingerprint: reply.fingerprint,
      sections: reply.sections as Partial<Record<Stage, Fingerprint>> | null,
      objects: reply.objects,
    },
  };
}
