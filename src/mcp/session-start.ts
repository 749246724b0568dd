/**
 * start_session: the photo decoded with the CLI's checks, the target saved at the final
 * resolution and the working resolution, and the scaffold rendered and scored — the state the
 * first stage starts from.
 */
import path from "node:path";
import { describeFailure } from "../agent/execute.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { SeigError } from "../errors.ts";
import { loadImage } from "../image/load.ts";
import { resizeTo } from "../image/resize.ts";
import { saveImage } from "../image/save.ts";
import type { RgbImage } from "../image/types.ts";
import type { Stage } from "../stages/index.ts";
import { StagedSession } from "./session.ts";
import { renderAndScore } from "./session-render.ts";
import { offlineScaffold } from "./session-scaffold.ts";

export interface StartSessionInput {
  id: string;
  dir: string;
  /** Real path of the photo, inside the workspace. */
  photo: string;
  /** Program text to start from; the offline scaffold when null. */
  scaffold: string | null;
  workingSide: number;
  finalSide: number;
  samples: number;
  seed: number;
  stages: Stage[];
}

function workingSize(img: RgbImage, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(img.width, img.height));
  return {
    width: Math.max(8, Math.round(img.width * scale)),
    height: Math.max(8, Math.round(img.height * scale)),
  };
}

export async function startSession(pool: BlenderPool, input: StartSessionInput): Promise<StagedSession> {
  const startedAt = Date.now();
  const target = await loadImage(input.photo, { maxSide: input.finalSide });
  const size = workingSize(target, input.workingSide);
  const working = await resizeTo(target, size.width, size.height);
  await saveImage(target, path.join(input.dir, "target.png"));
  await saveImage(working, path.join(input.dir, "target-working.png"));
  const source =
    input.scaffold ?? (await offlineScaffold(pool, target, working, input.seed, path.basename(input.photo)));
  const settings = { pool, working, samples: input.samples, seed: input.seed };
  const run = await renderAndScore(settings, source, path.join(input.dir, "renders", "scaffold.png"));
  if (!run.ok) throw new SeigError(`the scaffold program failed: ${describeFailure(run.failure, source)}`);
  return new StagedSession({
    id: input.id,
    dir: input.dir,
    photo: input.photo,
    pool,
    target,
    working,
    samples: input.samples,
    seed: input.seed,
    stages: input.stages,
    scaffold: run.scored,
    startedAt,
  });
}
