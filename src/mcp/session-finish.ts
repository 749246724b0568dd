/**
 * finish_session: a normal run folder (program.py, final.png, scene.blend, stages/, metrics.json,
 * run.json, report.html) with `method: mcp-assistant`, plus submissions.jsonl — every section the
 * assistant submitted, with its outcome — in place of the agent's model trace.
 */
import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";
import { saveImage } from "../image/save.ts";
import { pathExists } from "../path-exists.ts";
import { writeMetricsJson, writeRunJson } from "../run/files.ts";
import { renderFinal, reportRunFields } from "../run/final-render.ts";
import { createRunFolder, writeStageOutputs } from "../run/folder.ts";
import { writeRunReport } from "../run/run-report.ts";
import { versions } from "../run/version.ts";
import type { StagedSession } from "./session.ts";

export const METHOD = "mcp-assistant";
const FINAL_SAMPLES = 32;

function stageRows(session: StagedSession) {
  const scaffold = session.setup.scaffold;
  return {
    scaffold: { psnr: scaffold.psnr, ssim: scaffold.ssim, loss: scaffold.loss },
    ...Object.fromEntries(
      session.completed.map((c) => [
        c.stage,
        { psnr: c.best.psnr, ssim: c.best.ssim, loss: c.best.loss, submissions: c.submissions, kept: c.kept },
      ]),
    ),
  };
}

type Final = Awaited<ReturnType<typeof renderFinal>>;
type Folder = Awaited<ReturnType<typeof createRunFolder>>;

function runRecord(session: StagedSession, stages: ReturnType<typeof stageRows>) {
  const { setup } = session;
  const { target, working } = setup;
  return {
    method: METHOD,
    status: "done" as const,
    image: setup.photo,
    settings: { stages: setup.stages, samples: setup.samples, seed: setup.seed, session: setup.id },
    seed: setup.seed,
    versions: versions(setup.pool.blenderVersion),
    target: {
      width: target.width,
      height: target.height,
      originalWidth: target.originalWidth,
      originalHeight: target.originalHeight,
    },
    workingResolution: [
      { name: "working", width: working.width, height: working.height, samples: setup.samples },
    ],
    stages,
    submissions: session.submissions.length,
    renders: session.renders,
    seconds: (Date.now() - setup.startedAt) / 1000,
    sandboxed: setup.pool.sandboxed,
  };
}

async function writeReport(
  session: StagedSession,
  folder: Folder,
  final: Final,
  stages: ReturnType<typeof stageRows>,
) {
  const { setup } = session;
  await writeRunReport({
    folder,
    title: `seig MCP session — ${path.basename(setup.photo)}`,
    method: `${METHOD} (the assistant was generator and verifier; submissions in submissions.jsonl)`,
    final,
    stages: Object.entries(stages).map(([name, v]) => {
      const done = session.completed.find((c) => c.stage === name);
      return { name, loss: v.loss, note: done ? `${done.submissions} submissions, ${done.kept} kept` : null };
    }),
    render: { samples: FINAL_SAMPLES, seed: setup.seed },
    settings: {
      method: METHOD,
      stages: setup.stages,
      samples: setup.samples,
      seed: setup.seed,
      session: setup.id,
    },
    seconds: (Date.now() - setup.startedAt) / 1000,
    renders: session.renders,
    program: session.best.source,
  });
}

export async function finishSession(session: StagedSession, outDir: string): Promise<string> {
  // A run folder is never silently overwritten (DESIGN.md §5b).
  const taken = await pathExists(path.join(outDir, "run.json"));
  if (taken) throw new InputError(`${outDir} already holds a run; give another out_dir`);
  while (session.stage) session.next();
  const { setup } = session;
  const folder = await createRunFolder(outDir);
  await saveImage(setup.target, path.join(folder.dir, "target.png"));
  await writeStageOutputs(folder, "scaffold", setup.scaffold.source, setup.scaffold.render);
  for (const c of session.completed) await writeStageOutputs(folder, c.stage, c.best.source, c.best.render);
  const final = await renderFinal(setup.pool, folder, session.best.source, setup.target, {
    samples: FINAL_SAMPLES,
    seed: setup.seed,
    semanticMetrics: false,
    methodLabel: "assistant-driven staged method",
    stages: Object.keys(stageRows(session)),
  });
  session.renders++;
  await copyFile(path.join(setup.dir, "submissions.jsonl"), path.join(folder.dir, "submissions.jsonl")).catch(
    () => writeFile(path.join(folder.dir, "submissions.jsonl"), ""),
  );
  const stages = stageRows(session);
  await writeMetricsJson(folder.metrics, {
    method: METHOD,
    final: final.metrics,
    flat: final.flat,
    stages,
    stageRenders: final.stageRenders,
  });
  // The report before run.json, so a run.json always sits beside a complete folder.
  await writeReport(session, folder, final, stages);
  await writeRunJson(folder.run, { ...runRecord(session, stages), ...reportRunFields(final) });
  return folder.dir;
}
