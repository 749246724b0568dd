/**
 * The attack suite (issue 19): every program here tries to reach something outside its job
 * folder, exhaust a resource, forge the protocol or leave state behind, and each asserts the
 * exact outcome — which layer stopped it, or that it was contained and the pool went on.
 * Runs as root (workers drop to uid 65534) and as an unprivileged user (scripts/attack-suite.sh).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlenderPool } from "../../src/blender/pool.ts";
import type { JobReply } from "../../src/blender/protocol.ts";
import { type Attack, PRELUDE, PRIVILEGES, READS, SCREEN_BYPASSES, SOCKETS, WRITES } from "./catalogue.ts";
import { AUDIT, PROCESSES, PROTOCOL, RESOURCES } from "./catalogue-runtime.ts";
import { PROBE_MODULE_LEVEL, STATE_ROUTES } from "./catalogue-state.ts";
import { attackProgram, type Canary, escapes, plantCanary } from "./harness.ts";

const ATTACKS: Attack[] = [
  ...SCREEN_BYPASSES,
  ...READS,
  ...WRITES,
  ...PRIVILEGES,
  ...SOCKETS,
  ...PROCESSES,
  ...RESOURCES,
  ...PROTOCOL,
  ...AUDIT,
];
const small = { width: 16, height: 16, samples: 1 };
const tally = new Map<string, number>();
let canary: Canary;
let pool: BlenderPool;

function count(key: string) {
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

function program(code: string, screened: boolean, moduleLevel = ""): string {
  const full = screened ? code : `${PRELUDE}\n${code}`;
  return attackProgram(full.replaceAll("{NODEPID}", String(process.pid)), canary, moduleLevel);
}

async function run(body: string, attack: Partial<Attack> = {}): Promise<JobReply> {
  return pool.run(
    {
      body,
      skipScreen: !attack.screened,
      render: attack.render ? small : undefined,
      mask: attack.mask ? { width: 16, height: 16 } : undefined,
    },
    { timeoutMs: attack.timeoutMs ?? 15_000 },
  );
}

beforeAll(async () => {
  canary = await plantCanary();
  // A secret in seig's own environment must not reach the worker's.
  process.env["SEIG_ATTACK_TOKEN"] = canary.token;
  pool = await BlenderPool.start({ size: 1 });
});

afterAll(async () => {
  await pool?.close();
  await canary?.close();
  delete process.env["SEIG_ATTACK_TOKEN"];
  const rows = [...tally.entries()].map(([k, v]) => `${k}: ${v}`).join(", ");
  console.log(`attack suite tally (${process.getuid?.() === 0 ? "root" : "unprivileged"}): ${rows}`);
});

describe("sandbox attacks", () => {
  it.each(ATTACKS.map((attack) => [`${attack.category}: ${attack.name}`, attack] as const))(
    "%s",
    async (_label, attack) => {
      const before = canary.connections();
      const reply = await run(program(attack.code, Boolean(attack.screened), attack.moduleLevel), attack);
      const escaped = await escapes(canary, reply, before);
      count(
        escaped.length
          ? "escaped"
          : attack.layer === "contained"
            ? "contained"
            : `blocked by ${attack.layer}`,
      );
      count("tried");
      expect(escaped).toEqual([]);
      if (attack.kind === "ok") {
        expect(reply.error).toBeNull();
        if (attack.expect) expect(reply.stdout).toMatch(attack.expect);
      } else {
        expect(reply.error?.kind).toBe(attack.kind);
        if (attack.expect) expect(reply.error?.message).toMatch(attack.expect);
      }
      expect(reply.stdout.length).toBeLessThanOrEqual(20_000);
      if (attack.layer === "contained" || attack.layer === "reply") {
        const next = await run(program("pass", true), { render: true });
        expect(next.ok).toBe(true);
      }
    },
  );

  it.each(STATE_ROUTES.map((route) => [route.name, route] as const))(
    "state route reset between jobs: %s",
    async (_name, route) => {
      await run(program(route.pollute, false));
      const probe = await run(
        program(`print("CLEAN" if (${route.clean}) else "DIRTY")`, false, PROBE_MODULE_LEVEL),
      );
      count("tried");
      count(probe.stdout.includes("CLEAN") ? "blocked by isolation" : "escaped");
      expect(probe.error).toBeNull();
      expect(probe.stdout).toContain("CLEAN");
    },
  );

  it("the suite is big enough to mean something", () => {
    expect(ATTACKS.length + STATE_ROUTES.length).toBeGreaterThanOrEqual(50);
  });
});
