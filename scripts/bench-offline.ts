/**
 * Benchmarks the offline method on a folder of targets: `tsx scripts/bench-offline.ts <dir> [out] [--budget 75s]`.
 * For each <name>.png it runs a default reconstruction and reports PSNR, SSIM and LPIPS of the
 * final render, the PSNR of a flat mean-colour image (the floor every scene must beat) and the
 * wall time. A <name>.json SceneSpec beside a target (ground truth) adds the object count.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadImage } from "../src/image/load.ts";
import { rgbImage } from "../src/image/types.ts";
import { mse, psnrFromMse } from "../src/metrics/psnr.ts";
import { parseBudget } from "../src/offline/budget.ts";
import { DEFAULT_OFFLINE, reconstructOffline } from "../src/offline/reconstruct.ts";

const [dir, outArg] = process.argv
  .slice(2)
  .filter((a, i, all) => a !== "--budget" && all[i - 1] !== "--budget");
if (!dir) {
  process.stderr.write("usage: tsx scripts/bench-offline.ts <targets-dir> [out-dir] [--budget 75s]\n");
  process.exit(2);
}
const budgetIndex = process.argv.indexOf("--budget");
const budget = budgetIndex > 0 ? parseBudget(process.argv[budgetIndex + 1]!) : DEFAULT_OFFLINE.budget;
const out = outArg ?? path.join(dir, "offline-runs");
const rows: Record<string, unknown>[] = [];
for (const file of (await readdir(dir)).filter((f) => f.endsWith(".png")).sort()) {
  const name = path.basename(file, ".png");
  const image = path.join(dir, file);
  const target = await loadImage(image, { maxSide: DEFAULT_OFFLINE.finalSide });
  const mean = [0, 1, 2].map(
    (c) =>
      target.data.filter((_, i) => i % 3 === c).reduce((a, v) => a + v, 0) / (target.width * target.height),
  );
  const flat = rgbImage(
    target.width,
    target.height,
    Float32Array.from(target.data, (_, i) => mean[i % 3]!),
    "flat",
  );
  const started = Date.now();
  const result = await reconstructOffline({
    ...DEFAULT_OFFLINE,
    image,
    outDir: path.join(out, name),
    budget,
  });
  const truth = await readFile(path.join(dir, `${name}.json`), "utf8").then(
    (t) => JSON.parse(t),
    () => null,
  );
  const row = {
    scene: name,
    psnr: result.metrics.psnr,
    ssim: result.metrics.ssim,
    lpips: result.metrics.lpips,
    flatPsnr: psnrFromMse(mse(target, flat)),
    seconds: (Date.now() - started) / 1000,
    renders: result.renders,
    objectsTrue: truth?.objects?.length ?? truth?.spec?.objects?.length ?? null,
  };
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
const meanOf = (k: string) => rows.reduce((a, r) => a + Number(r[k]), 0) / Math.max(1, rows.length);
const summary = {
  scenes: rows.length,
  meanPsnr: meanOf("psnr"),
  meanLpips: meanOf("lpips"),
  meanSeconds: meanOf("seconds"),
  maxSeconds: Math.max(...rows.map((r) => Number(r["seconds"]))),
  beatsFlat: rows.every((r) => Number(r["psnr"]) > Number(r["flatPsnr"])),
};
await writeFile(path.join(out, "bench-offline.json"), `${JSON.stringify({ summary, rows }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(summary)}\n`);
