/**
 * Benchmarks the offline method on a generated suite (`seig bench generate`, layout
 * <dir>/<scene-id>/{target.png, program.py, truth.json}):
 *
 *   npx tsx scripts/bench-offline.ts <suite-dir> [out-dir] [--budget 1500] [--doc docs/offline.md] [--force]
 *
 * Per scene: PSNR, SSIM and LPIPS of final.png, the same for a flat image of the target's
 * mean colour (the floor every scene must beat), the object count of the final program
 * against truth.json, wall seconds and the PSNR after each stage (at the working
 * resolution). Prints a Markdown table with the means; --doc replaces the table between
 * the `bench-offline` markers of that file.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseBudget } from "../src/offline/budget.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";
import { specFromProgram } from "../src/program/emit.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const [dir, outArg] = positional;
if (!dir) {
  process.stderr.write(
    "usage: npx tsx scripts/bench-offline.ts <suite-dir> [out-dir] [--budget 1500] [--doc file.md] [--force]\n",
  );
  process.exit(2);
}
const budgetText = flag("--budget");
// Replace earlier runs in out-dir (without it, a scene folder holding a run is refused).
const force = args.includes("--force");
const budget = budgetText ? parseBudget(budgetText) : DEFAULT_OFFLINE.budget;
const out = outArg ?? path.join(dir, "offline-runs");
const STAGE_LABELS = ["scaffold", "geometry", "material", "composition", "lighting"];

interface Row {
  scene: string;
  psnr: number | null;
  ssim: number | null;
  lpips: number | null;
  flatPsnr: number | null;
  flatLpips: number | null;
  objects: number | null;
  objectsTrue: number;
  seconds: number;
  stagePsnr: Record<string, number | null>;
}

const scenes: string[] = [];
for (const name of (await readdir(dir)).sort()) {
  if (
    (await stat(path.join(dir, name))).isDirectory() &&
    (await stat(path.join(dir, name, "target.png")).catch(() => null))
  )
    scenes.push(name);
}
const rows: Row[] = [];
for (const scene of scenes) {
  const image = path.join(dir, scene, "target.png");
  const runDir = path.join(out, scene);
  const started = Date.now();
  const result = await reconstructOffline({ ...DEFAULT_OFFLINE, image, outDir: runDir, budget, force });
  const seconds = (Date.now() - started) / 1000;
  const flat = result.flat.flat;
  const truth = JSON.parse(await readFile(path.join(dir, scene, "truth.json"), "utf8"));
  const spec = specFromProgram(await readFile(path.join(runDir, "program.py"), "utf8"));
  const metrics = JSON.parse(await readFile(path.join(runDir, "metrics.json"), "utf8"));
  const row: Row = {
    scene,
    psnr: result.metrics.psnr,
    ssim: result.metrics.ssim,
    lpips: result.metrics.lpips,
    flatPsnr: flat.psnr,
    flatLpips: flat.lpips,
    objects: spec ? spec.objects.length : null,
    objectsTrue: truth.objects.length,
    seconds,
    stagePsnr: Object.fromEntries(STAGE_LABELS.map((s) => [s, metrics.stages?.[s]?.psnr ?? null])),
  };
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

const fmt = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined ? "–" : v.toFixed(digits);
const mean = (values: (number | null)[]) => {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
};
const header = [
  "scene",
  "PSNR",
  "SSIM",
  "LPIPS",
  "flat PSNR",
  "flat LPIPS",
  "beats flat",
  "objects / truth",
  "wall s",
  ...STAGE_LABELS.map((s) => `${s} PSNR`),
];
const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
const beats = (r: Row) =>
  r.psnr !== null &&
  r.flatPsnr !== null &&
  r.lpips !== null &&
  r.flatLpips !== null &&
  r.psnr > r.flatPsnr &&
  r.lpips < r.flatLpips;
const table = [
  line(header),
  line(header.map(() => "---")),
  ...rows.map((r) =>
    line([
      r.scene,
      fmt(r.psnr, 2),
      fmt(r.ssim, 3),
      fmt(r.lpips, 3),
      fmt(r.flatPsnr, 2),
      fmt(r.flatLpips, 3),
      beats(r) ? "yes" : "no",
      `${r.objects ?? "?"} / ${r.objectsTrue}`,
      fmt(r.seconds, 0),
      ...STAGE_LABELS.map((s) => fmt(r.stagePsnr[s], 2)),
    ]),
  ),
  line([
    "**mean**",
    fmt(mean(rows.map((r) => r.psnr)), 2),
    fmt(mean(rows.map((r) => r.ssim)), 3),
    fmt(mean(rows.map((r) => r.lpips)), 3),
    fmt(mean(rows.map((r) => r.flatPsnr)), 2),
    fmt(mean(rows.map((r) => r.flatLpips)), 3),
    `${rows.filter(beats).length}/${rows.length}`,
    `${rows.filter((r) => r.objects === r.objectsTrue).length}/${rows.length} exact`,
    `${fmt(mean(rows.map((r) => r.seconds)), 0)} (max ${fmt(Math.max(...rows.map((r) => r.seconds)), 0)})`,
    ...STAGE_LABELS.map((s) => fmt(mean(rows.map((r) => r.stagePsnr[s] ?? null)), 2)),
  ]),
].join("\n");
const budgetLabel = budget.kind === "seconds" ? `${budget.seconds}s` : `${budget.renders} renders`;
const report = `Command: \`npx tsx scripts/bench-offline.ts ${dir}${outArg ? ` ${outArg}` : ""}${budgetText ? ` --budget ${budgetText}` : ""}\` (budget ${budgetLabel}; LPIPS backbone: SqueezeNet; stage PSNR at the working resolution, final PSNR at the target's).\n\n${table}\n`;
await writeFile(path.join(out, "bench-offline.json"), `${JSON.stringify(rows, null, 2)}\n`);
await writeFile(path.join(out, "bench-offline.md"), report);
process.stdout.write(`\n${report}`);
const doc = flag("--doc");
if (doc) {
  const text = await readFile(doc, "utf8");
  const start = "<!-- bench-offline:start -->";
  const end = "<!-- bench-offline:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${doc} has no ${start} … ${end} markers`);
  await writeFile(doc, `${text.slice(0, i + start.length)}\n${report}${text.slice(j)}`);
}
