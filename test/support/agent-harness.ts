/** Shared set-up of agent tests: a Blender pool, a rendered truth, and runs against the oracle double. */
import path from "node:path";
import type { AgentRuntime } from "../../src/agent/run-agent.ts";
import type { AgentSettingsInput } from "../../src/agent/settings.ts";
import { type FakeProviders, type FakeReply, startFakeProviders } from "./fake-providers.ts";
import { createOracle, type Oracle, type OracleOptions } from "./oracle.ts";
import { THREE_THINGS } from "./oracle-scene.ts";

export function agentSettings(
  root: string,
  targetPng: string,
  name: string,
  extra: Partial<AgentSettingsInput> = {},
): AgentSettingsInput & { outDir: string } {
  return {
    image: targetPng,
    outDir: path.join(root, name),
    model: "openai:gpt-4o",
    verifierModel: "anthropic:claude-sonnet-4-5",
    scaffolds: 2,
    rounds: { geometry: 2, material: 2, composition: 2, lighting: 1 },
    repairLimit: 2,
    workingSide: 64,
    samples: 4,
    finalSide: 64,
    finalSamples: 4,
    ...extra,
  };
}

export async function withOracle<T>(
  base: Omit<AgentRuntime, "env" | "client">,
  options: Partial<OracleOptions>,
  run: (runtime: AgentRuntime, oracle: Oracle, fake: FakeProviders) => Promise<T>,
): Promise<T> {
  const oracle = createOracle({ truth: THREE_THINGS, ...options });
  const fake = await startFakeProviders(oracle.handler);
  const runtime: AgentRuntime = {
    ...base,
    env: {
      OPENAI_API_KEY: "test",
      OPENAI_BASE_URL: fake.baseURLs.openai,
      ANTHROPIC_API_KEY: "test",
      ANTHROPIC_BASE_URL: fake.baseURLs.anthropic,
    },
    client: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
  };
  try {
    return await run(runtime, oracle, fake);
  } finally {
    await fake.close();
  }
}

/** The python block of a reply, edited by `edit`, with everything else of the reply kept. */
export function editCode(reply: FakeReply, edit: (code: string) => string): FakeReply {
  if (!("text" in reply)) return reply;
  return {
    ...reply,
    text: reply.text.replace(
      /```python\n([\s\S]*?)```/,
      (_, code: string) => `\`\`\`python\n${edit(code)}\`\`\``,
    ),
  };
}

/** Inserts lines after a section's `def` line. */
export function afterDef(code: string, fn: string, lines: string[]): string {
  return code.replace(new RegExp(`(def ${fn}\\(P\\):\\n)`), `$1${lines.map((l) => `    ${l}\n`).join("")}`);
}
