/**
 * The offline run's resumable state, `<run>/checkpoint.json`, saved after initialisation,
 * after every move and every searched group of a stage, and after every stage. `seig
 * reconstruct --resume <dir>` continues from it and ends with the same program as a run that
 * was never stopped: what a checkpoint holds (incumbent, cursor, budget spent) is everything
 * the search's next decision depends on.
 *
 * The incumbents' renders are kept beside it, named by their content (`checkpoint/<hash>.png`):
 * a new checkpoint never overwrites a file the previous one names, so a kill between writing
 * an image and writing the JSON leaves a consistent pair.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { renderPng } from "../image/bmp.ts";
import { SceneKindChoice, SceneKindRecord } from "../program/scene-kind.ts";
import { writeFileAtomic, writeJsonAtomic } from "../run/atomic.ts";
import { STAGES } from "../stages/index.ts";
import type { RenderLevel } from "./evaluator.ts";
import type { Incumbent, StageCursor } from "./tune-stage.ts";

export const CHECKPOINT_FILE = "checkpoint.json";
const IMAGE_DIR = "checkpoint";
/** Copies of loaded checkpoint renders (IncumbentStore.held); the pruning lists only the folder's own files. */
const HELD_DIR = "held";

export const BudgetSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("renders"), renders: z.number().int().min(0) }),
  z.object({ kind: z.literal("seconds"), seconds: z.number().min(0) }),
]);

/** What decides a run's result; the same settings give the same program. */
export const OfflineSettings = z.object({
  /** The photo as given (the run works from its own target.png). */
  image: z.string(),
  budget: BudgetSpecSchema,
  workingSide: z.number().int(),
  seed: z.number().int(),
  stages: z.array(z.enum(STAGES)),
  finalSide: z.number().int(),
  finalSamples: z.number().int(),
  semanticMetrics: z.boolean(),
  /** Checkpoints written before scene kinds existed built the ground scaffold, which `auto` still picks for them. */
  sceneKind: SceneKindChoice.default("auto"),
});
export type OfflineSettings = z.infer<typeof OfflineSettings>;

/** JSON has no Infinity: a failed render's loss is saved as null. */
const Loss = z.number().nullable();

const SavedIncumbent = z.object({
  source: z.string(),
  loss: Loss,
  /** Relative to the run folder. */
  image: z.string().nullable(),
  level: z.string(),
});
type SavedIncumbent = z.infer<typeof SavedIncumbent>;

const SavedCursor = z.object({
  inc: SavedIncumbent,
  afterStructural: z.string(),
  next: z.discriminatedUnion("phase", [
    z.object({ phase: z.literal("moves"), move: z.number().int() }),
    z.object({
      phase: z.literal("search"),
      round: z.number().int(),
      group: z.number().int(),
      roundSource: z.string().nullable(),
    }),
  ]),
  iteration: z.number().int(),
  /** What the stage had spent of its share. */
  spent: z.object({ renders: z.number().int(), seconds: z.number() }),
});

export const StageTiming = z.object({ seconds: z.number(), renders: z.number().int(), loss: Loss });
export type StageTiming = z.infer<typeof StageTiming>;

export const StageRow = z.object({
  label: z.string(),
  image: z.string().nullable(),
  psnr: z.number().nullable(),
  ssim: z.number().nullable(),
});
export type StageRow = z.infer<typeof StageRow>;

export const Cut = z.object({ reason: z.string(), stage: z.string(), seconds: z.number() });
export type Cut = z.infer<typeof Cut>;

export const OfflineCheckpoint = z.object({
  version: z.literal(1),
  settings: OfflineSettings,
  /** The best program so far (after initialisation and each finished stage); null before initialisation ends. */
  best: SavedIncumbent.nullable(),
  /** What the stages share, fixed when initialisation ended. */
  stagePool: BudgetSpecSchema.nullable(),
  /** Index into settings.stages of the stage under way. */
  stageIndex: z.number().int(),
  /** Inside that stage, when it has started. */
  cursor: SavedCursor.nullable(),
  stages: z.record(z.string(), StageTiming),
  rows: z.array(StageRow),
  /** Renders counted so far and seconds spent in earlier sessions. */
  renders: z.number().int(),
  seconds: z.number(),
  cut: Cut.nullable(),
  /**
   * The photo's own size: the run works from target.png, already scaled to finalSide, so run.json's
   * originalWidth/Height come from here. Absent in checkpoints written before it was kept.
   */
  photo: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
  /** The kind the scaffold was built as, once initialisation has ended. */
  sceneKind: SceneKindRecord.nullable().default(null),
});
export type OfflineCheckpoint = z.infer<typeof OfflineCheckpoint>;

export type SavedStageCursor = z.infer<typeof SavedCursor>;

export function freshCheckpoint(
  settings: OfflineSettings,
  photo?: { width: number; height: number },
): OfflineCheckpoint {
  return {
    version: 1,
    settings,
    ...(photo ? { photo } : {}),
    best: null,
    stagePool: null,
    stageIndex: 0,
    cursor: null,
    stages: {},
    rows: [],
    renders: 0,
    seconds: 0,
    cut: null,
    sceneKind: null,
  };
}

/** Saves incumbents' renders under the run folder and reads them back as incumbents. */
export class IncumbentStore {
  constructor(
    private readonly runDir: string,
    private readonly levels: readonly RenderLevel[],
  ) {}

  async save(inc: Incumbent): Promise<SavedIncumbent> {
    const loss = Number.isFinite(inc.loss) ? inc.loss : null;
    if (!inc.image) return { source: inc.source, loss, image: null, level: inc.level.name };
    const bytes = await readFile(inc.image);
    const name = path.join(IMAGE_DIR, `${createHash("sha256").update(bytes).digest("hex").slice(0, 20)}.png`);
    const file = path.join(this.runDir, name);
    if (path.resolve(inc.image) !== file) {
      await mkdir(path.dirname(file), { recursive: true });
      // A search render may be a BMP (python/batch.py): run folders hold PNGs.
      await writeFileAtomic(file, await renderPng(bytes, inc.image));
    }
    return { source: inc.source, loss, image: name, level: inc.level.name };
  }

  load(saved: SavedIncumbent): Incumbent {
    const level = this.levels.find((l) => l.name === saved.level);
    if (!level) throw new InputError(`${CHECKPOINT_FILE}: unknown render level "${saved.level}"`);
    return {
      source: saved.source,
      loss: saved.loss ?? Number.POSITIVE_INFINITY,
      image: saved.image ? this.held(saved.image) : null,
      level,
    };
  }

  /**
   * A copy of a checkpoint render that the pruning of later checkpoints leaves alone: a loaded
   * incumbent (a resumed stage's start) can be saved again after the checkpoint that named its
   * render has been replaced.
   */
  private held(image: string): string {
    const from = path.join(this.runDir, image);
    const to = path.join(this.runDir, IMAGE_DIR, HELD_DIR, path.basename(image));
    mkdirSync(path.dirname(to), { recursive: true });
    if (!existsSync(to)) copyFileSync(from, to);
    return to;
  }

  async saveCursor(cursor: StageCursor, spent: SavedStageCursor["spent"]): Promise<SavedStageCursor> {
    return { ...cursor, inc: await this.save(cursor.inc), spent };
  }

  loadCursor(saved: SavedStageCursor): StageCursor {
    const { spent: _, ...rest } = saved;
    return { ...rest, inc: this.load(saved.inc) };
  }
}

/** Writes checkpoint.json atomically, then drops saved renders it no longer names. */
export async function saveCheckpoint(runDir: string, checkpoint: OfflineCheckpoint): Promise<void> {
  await writeJsonAtomic(path.join(runDir, CHECKPOINT_FILE), checkpoint);
  const named = new Set([checkpoint.best?.image, checkpoint.cursor?.inc.image].filter(Boolean));
  const dir = path.join(runDir, IMAGE_DIR);
  const files = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    files
      .filter((f) => f.endsWith(".png") && !named.has(path.join(IMAGE_DIR, f)))
      .map((f) => rm(path.join(dir, f), { force: true })),
  );
}

export async function loadCheckpoint(runDir: string): Promise<OfflineCheckpoint> {
  const file = path.join(runDir, CHECKPOINT_FILE);
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null)
    throw new InputError(`${runDir} has no ${CHECKPOINT_FILE}: it is not an offline run folder`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not valid JSON: the run folder is damaged; start a new run`);
  }
  const parsed = OfflineCheckpoint.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `${file} is not a seig offline checkpoint (at ${issue.path.join(".") || "top level"}: ${issue.message}): start a new run`,
    );
  }
  return parsed.data;
}
