/**
 * Before a candidate runs: its Blender API use checked against the running Blender (api-check.ts),
 * certain 3.x ↔ 4.x renames applied, and every remaining problem sent back in ONE repair message
 * instead of one Python error per render and repair call.
 */
import { blenderApi } from "../blender/rna-dump.ts";
import { programBody, withCanonicalFooter } from "../program/assemble.ts";
import { checkApiUse } from "./api-check.ts";
import type { AgentContext } from "./context.ts";

export type Preflight =
  | { ok: true; source: string; fixes: string[] }
  | { ok: false; problem: string; summary: string };

export async function preflight(ctx: Pick<AgentContext, "pool">, source: string): Promise<Preflight> {
  const api = await blenderApi(ctx.pool);
  const check = checkApiUse(programBody(source), api);
  if (check.problems.length === 0) {
    return { ok: true, source: withCanonicalFooter(check.source), fixes: check.fixes };
  }
  const n = check.problems.length;
  return {
    ok: false,
    summary: `pre-flight: ${n} Blender API problem${n === 1 ? "" : "s"} (${check.problems[0]}${n > 1 ? ", ..." : ""})`,
    problem: `Checked against Blender ${api.version}'s Python API before running, the program has ${n} problem${n === 1 ? "" : "s"}; fix all of them:\n${check.problems.map((p) => `- ${p}`).join("\n")}`,
  };
}
