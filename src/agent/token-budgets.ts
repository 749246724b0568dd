/**
 * Output-token budgets by call role (`--max-tokens role=n`). The defaults keep prompt + budget of
 * every call under 32K tokens, so a local server with a 32K context (vLLM, llama.cpp) accepts them:
 * the largest prompt, a stage round's, is about 8K tokens with compact sections (see
 * scripts/bench-agent-cost.ts); 12K leaves a scaffold room for a long program. A reasoning model
 * that thinks before answering needs more: raise the role's budget.
 */
import { z } from "zod";
import { InputError } from "../errors.ts";

export const ROLES = [
  "scene-graph",
  "scaffold",
  "select-scaffold",
  "stage",
  "verify",
  "compare",
  "one-shot",
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const DEFAULT_MAX_TOKENS: Readonly<Record<Role, number>> = {
  "scene-graph": 4000,
  scaffold: 12000,
  "select-scaffold": 2000,
  stage: 8000,
  verify: 3000,
  compare: 2000,
  "one-shot": 12000,
};

export const MaxTokens = z
  .object(
    Object.fromEntries(
      ROLES.map((r) => [r, z.number().int().min(256).max(200_000).default(DEFAULT_MAX_TOKENS[r])]),
    ) as {
      [R in Role]: z.ZodDefault<z.ZodNumber>;
    },
  )
  .default({ ...DEFAULT_MAX_TOKENS });
export type MaxTokens = z.infer<typeof MaxTokens>;

/** `scaffold=6000,compare=4000` → budgets by role; every role not named keeps its default. */
export function parseMaxTokens(text: string): Partial<Record<Role, number>> {
  const out: Partial<Record<Role, number>> = {};
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z-]+)=(\d+)$/.exec(item);
    const role = m ? Role.safeParse(m[1]) : null;
    if (!m || !role?.success || Number(m[2]) < 256) {
      throw new InputError(
        `--max-tokens takes role=tokens pairs (roles ${ROLES.join(", ")}; at least 256 tokens), got "${item}"`,
      );
    }
    out[role.data] = Number(m[2]);
  }
  return out;
}
