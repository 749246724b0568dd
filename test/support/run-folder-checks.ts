/**
 * What a finished offline run folder must contain, checked by content rather than existence:
 * run.json and metrics.json valid under the run layer's own schemas, a program that validates,
 * images of the right size, final metrics that match final.png against target.png, the report
 * showing those metrics, every stage's program and best render, and a real .blend file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { expect } from "vitest";
import { loadImage } from "../../src/image/load.ts";
import { mse, psnrFromMse } from "../../src/metrics/psnr.ts";
import { validateProgram } from "../../src/program/validate.ts";
import { MetricsFile, RunRecord, readRunFile } from "../../src/run/files.ts";

export interface Size {
  width: number;
  height: number;
}

async function sizeOf(file: string): Promise<Size> {
  const meta = await sharp(file).metadata();
  return { width: meta.width!, height: meta.height! };
}

/** Checks the folder and returns its run.json and metrics.json, parsed by their schemas. */
export async function expectFinishedOfflineRun(
  out: string,
  sizes: { final: Size; working: Size; stages: readonly string[] },
): Promise<{ run: RunRecord; metrics: MetricsFile }> {
  const run = await readRunFile(path.join(out, "run.json"), RunRecord);
  const metrics = await readRunFile(path.join(out, "metrics.json"), MetricsFile);
  if (!run || !metrics) throw new Error(`${out} lacks run.json or metrics.json`);
  expect(run).toMatchObject({ method: "offline", status: "done", target: sizes.final });
  expect(run.workingResolution!.at(-1)).toMatchObject(sizes.working);
  expect(metrics.method).toBe("offline");
  // Scaffold first, then the stages that ran, in order.
  expect(Object.keys(metrics.stages)).toEqual(["scaffold", ...sizes.stages]);

  const program = await readFile(path.join(out, "program.py"), "utf8");
  expect(validateProgram(program).problems).toEqual([]);
  for (const file of ["final.png", "target.png", "flat.png"])
    expect(await sizeOf(path.join(out, file)), file).toEqual(sizes.final);
  // flat.png is one colour: the target's mean.
  const flatStats = await sharp(path.join(out, "flat.png")).stats();
  for (const c of flatStats.channels.slice(0, 3)) expect(c.max - c.min).toBe(0);

  // The recorded final metrics are final.png against target.png.
  const [target, final] = await Promise.all(
    ["target.png", "final.png"].map((f) => loadImage(path.join(out, f), { maxSide: 0 })),
  );
  const psnr = metrics.final.psnr!;
  expect(psnr).toBeCloseTo(psnrFromMse(mse(target!, final!)), 2);

  // The report's metrics table shows the final row with the numbers metrics.json holds.
  const report = await readFile(path.join(out, "report.html"), "utf8");
  const cell = (key: string, v: number | null, digits: number) =>
    v === null
      ? `<td class="metric ${key} none"`
      : `<td class="metric ${key}" data-value="${v}">${v.toFixed(digits)}</td>`;
  const { ssim, lpips } = metrics.final;
  const finalRow = /<tr data-stage="final">(.*?)<\/tr>/.exec(report)?.[1] ?? "";
  for (const [key, v, digits] of [
    ["psnr", psnr, 2],
    ["ssim", ssim, 4],
    ["lpips", lpips, 4],
  ] as const)
    expect(finalRow).toContain(cell(key, v, digits));

  // A stage's best render is at the level it was last scored at: coarse or working, never other sizes.
  const levels = run.workingResolution!.map((l) => ({ width: l.width, height: l.height }));
  for (const stage of ["scaffold", ...sizes.stages]) {
    const dir = path.join(out, "stages", stage);
    expect(validateProgram(await readFile(path.join(dir, "program.py"), "utf8")).problems, stage).toEqual([]);
    expect(levels, stage).toContainEqual(await sizeOf(path.join(dir, "best.png")));
  }
  // A .blend file begins with the magic "BLENDER" (then pointer size, endianness, version).
  const blend = await readFile(path.join(out, "scene.blend"));
  expect(blend.subarray(0, 7).toString("latin1")).toBe("BLENDER");
  return { run, metrics };
}
