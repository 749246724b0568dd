/**
 * Which section owns which PARAMS key: a key belongs to every section whose code reads it
 * as `P["key"]` or `P['key']`. A stage may change only the keys its own section reads.
 */
import { isDeepStrictEqual } from "node:util";
import { STAGES, type Stage } from "../stages/index.ts";
import type { SceneProgram } from "./parse.ts";

const PARAM_READ = /(?<![\w.])P\[\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*\]/g;

/** Drops `#` comments (outside strings) so commented-out reads do not count. */
function withoutComments(code: string): string {
  return code
    .split("\n")
    .map((line) => {
      let quote: string | null = null;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
          if (c === "\\") i++;
          else if (c === quote) quote = null;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === "#") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

/** Keys a piece of code reads from P, with the 1-based line (within the code) of each read. */
export function paramReads(code: string): { key: string; line: number }[] {
  const reads: { key: string; line: number }[] = [];
  for (const [i, line] of withoutComments(code).split("\n").entries()) {
    for (const m of line.matchAll(PARAM_READ)) reads.push({ key: m[1] ?? m[2]!, line: i + 1 });
  }
  return reads;
}

/** For every PARAMS key, the stages whose section reads it (empty when none does). */
export function paramOwners(p: SceneProgram): Record<string, Stage[]> {
  const owners: Record<string, Stage[]> = Object.fromEntries(Object.keys(p.params).map((k) => [k, []]));
  for (const stage of STAGES) {
    for (const { key } of paramReads(p.sections[stage])) {
      const list = owners[key];
      if (list && !list.includes(stage)) list.push(stage);
    }
  }
  return owners;
}

export function keysOwnedBy(p: SceneProgram, stage: Stage): string[] {
  return Object.entries(paramOwners(p))
    .filter(([, stages]) => stages.includes(stage))
    .map(([key]) => key);
}

/** PARAMS keys no section reads: dead knobs a search would tune for nothing. */
export function unownedKeys(p: SceneProgram): string[] {
  return Object.entries(paramOwners(p))
    .filter(([, stages]) => stages.length === 0)
    .map(([key]) => key);
}

export interface ParamEditViolation {
  key: string;
  change: "added" | "removed" | "changed";
  /** The stages that own the key (in the program before the edit; after it for added keys). */
  owners: Stage[];
}

/**
 * The PARAMS keys an edit by `stage` added, removed or changed although the stage does not
 * own them. Ownership of existing keys is taken from `before`, so a stage cannot claim a
 * key by starting to read it; an added key must be read by the stage's section in `after`.
 */
export function checkParamEdit(
  before: SceneProgram,
  after: SceneProgram,
  stage: Stage,
): ParamEditViolation[] {
  const ownersBefore = paramOwners(before);
  const ownersAfter = paramOwners(after);
  const violations: ParamEditViolation[] = [];
  for (const key of new Set([...Object.keys(before.params), ...Object.keys(after.params)])) {
    const inBefore = Object.hasOwn(before.params, key);
    const inAfter = Object.hasOwn(after.params, key);
    if (inBefore && inAfter && isDeepStrictEqual(before.params[key], after.params[key])) continue;
    const change = !inBefore ? "added" : !inAfter ? "removed" : "changed";
    const owners = change === "added" ? ownersAfter[key]! : ownersBefore[key]!;
    if (!owners.includes(stage)) violations.push({ key, change, owners });
  }
  return violations;
}

/** One line for a rejected candidate: which keys it touched and who owns them. */
export function describeParamViolations(stage: Stage, violations: ParamEditViolation[]): string {
  const parts = violations.map(
    (v) =>
      `${v.change} "${v.key}" (${v.owners.length ? `owned by ${v.owners.join(", ")}` : "read by no section"})`,
  );
  return `the ${stage} stage may change only PARAMS its section reads, but it ${parts.join("; ")}`;
}
