/**
 * npx tsx scripts/bench-mcp.ts — latency of `render_program` through the MCP server (warm pool)
 * against a cold `node bin/seig.js render` (node + tsx + Blender start per call), for one
 * 320×240 scene at 16 samples. The MCP side uses the SDK's own client over stdio.
 * BENCH_CALLS (default 5) timed calls each, after one untimed MCP call that warms the pool.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import { emitProgram } from "../src/program/emit.ts";
import { createRandom } from "../src/random.ts";
import { call, connectSeig } from "../test/support/mcp-client.ts";

const run = promisify(execFile);
const CALLS = Number(process.env["BENCH_CALLS"] ?? 5);
const bin = new URL("../bin/seig.js", import.meta.url).pathname;

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${(median / 1000).toFixed(3)} s (min ${(sorted[0]! / 1000).toFixed(3)}, max ${(sorted.at(-1)! / 1000).toFixed(3)})`;
}

async function viaMcp(root: string): Promise<number[]> {
  const mcp = await connectSeig(root);
  try {
    const args = { program_path: "scene.py", width: 320, height: 240, samples: 16 };
    await call(mcp.client, "render_program", args);
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      const result = await call(mcp.client, "render_program", args);
      if (result.isError) throw new Error(JSON.stringify(result.content));
      times.push(performance.now() - t);
    }
    return times;
  } finally {
    await mcp.close();
  }
}

async function viaCli(root: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await run(process.execPath, [
      bin,
      "render",
      path.join(root, "scene.py"),
      "-o",
      path.join(root, `cli-${i}`),
      "--res",
      "320x240",
      "--samples",
      "16",
    ]);
    times.push(performance.now() - t);
  }
  return times;
}

const root = await mkdtemp(path.join(os.tmpdir(), "seig-bench-mcp-"));
try {
  await writeFile(path.join(root, "scene.py"), emitProgram(clevrScene(createRandom(3)).spec));
  const mcp = await viaMcp(root);
  const cli = await viaCli(root);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`render_program via MCP (warm pool), 320×240, 16 samples: ${stats(mcp)}`);
  console.log(`seig render (cold CLI),              320×240, 16 samples: ${stats(cli)}`);
  console.log(`cold CLI / warm MCP: ${(median(cli) / median(mcp)).toFixed(1)}×`);
} finally {
  await rm(root, { recursive: true, force: true });
}
