/** The end of `seig bench run`, local or queued: the outputs written, failed scenes named, the results path printed. */
import { writeBenchOutputs } from "../bench/outputs.ts";
import type { SceneScore } from "../bench/run.ts";

export async function finishBench(
  outDir: string,
  benchDir: string,
  scores: readonly SceneScore[],
  failures: readonly string[],
  options: { method: string },
): Promise<void> {
  const written = await writeBenchOutputs(outDir, scores, {
    method: options.method,
    benchDir,
    command: `seig bench ${process.argv.slice(3).join(" ")}`,
    options: { ...options },
  });
  for (const f of failures) process.stderr.write(`seig: scene failed: ${f}\n`);
  console.log(written[0]);
}
