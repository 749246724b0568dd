/**
 * What a default-settings VLM agent run costs, measured against the localhost double's oracle
 * (test/support/oracle.ts): calls, input and output tokens (the double counts them as a provider
 * roughly would: 4 characters of text per token, width × height / 750 per image) and the estimated
 * cost at Claude Opus-class and GPT-4o-class list prices. With --four-x-names, every scaffold sets
 * five Principled BSDF inputs by their Blender 4.x names, and the script counts the repair calls.
 *
 *   npx tsx scripts/bench-agent-cost.ts [--four-x-names] [--keep <dir>]
 *
 * Nothing here calls a real API: the generator and verifier are the oracle behind the double.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runAgent } from "../src/agent/run-agent.ts";
import { BlenderPool } from "../src/blender/pool.ts";
import { DEFAULT_PRICES, estimateCost } from "../src/vlm/cost.ts";
import { readTrace } from "../src/vlm/trace.ts";
import { startFakeProviders } from "../test/support/fake-providers.ts";
import { createOracle } from "../test/support/oracle.ts";
import { renderTruth, THREE_THINGS } from "../test/support/oracle-scene.ts";

const OPUS = "anthropic:claude-opus-4-7";
const GPT4O = "openai:gpt-4o";

// The SDK warns on stdout that Opus ignores temperature; the summary must stay parseable.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

async function main(): Promise<void> {
  const fourX = process.argv.includes("--four-x-names");
  const keepAt = process.argv.indexOf("--keep");
  const root =
    keepAt > 0 ? path.resolve(process.argv[keepAt + 1]!) : await mkdtemp(path.join(tmpdir(), "seig-cost-"));
  const pool = await BlenderPool.start({ size: 2, writableDirs: [tmpdir()] });
  const oracle = createOracle({ truth: THREE_THINGS, fourXNames: fourX });
  const fake = await startFakeProviders(oracle.handler);
  try {
    const target = await renderTruth(pool, THREE_THINGS, path.join(root, "truth"), {
      width: 256,
      height: 192,
      samples: 16,
    });
    const started = Date.now();
    const result = await runAgent(
      { image: target, outDir: path.join(root, "run"), model: OPUS },
      {
        pool,
        env: { ANTHROPIC_API_KEY: "bench", ANTHROPIC_BASE_URL: fake.baseURLs.anthropic },
        client: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
      },
    );
    const trace = await readTrace(path.join(result.outDir, "trace.jsonl"));
    const input = trace.reduce((n, e) => n + (e.response.usage.inputTokens ?? 0), 0);
    const output = trace.reduce((n, e) => n + (e.response.usage.outputTokens ?? 0), 0);
    const usage = { inputTokens: input, outputTokens: output };
    const byPurpose: Record<string, number> = {};
    for (const e of trace)
      byPurpose[e.purpose.split(":")[0]!] = (byPurpose[e.purpose.split(":")[0]!] ?? 0) + 1;
    const summary = {
      fourXNames: fourX,
      calls: trace.length,
      inputTokens: input,
      outputTokens: output,
      costOpusUsd: Number(estimateCost(OPUS, usage, DEFAULT_PRICES)!.toFixed(4)),
      costGpt4oUsd: Number(estimateCost(GPT4O, usage, DEFAULT_PRICES)!.toFixed(4)),
      scaffoldRepairCalls: trace.filter((e) => e.purpose === "scaffold-repair").length,
      byPurpose,
      finalPsnr: Number(result.metrics.psnr?.toFixed(2)),
      oracleProblems: oracle.problems.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await fake.close();
    await pool.close();
    if (keepAt < 0) await rm(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
