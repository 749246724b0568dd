/**
 * The machine-readable first line of every agent prompt, e.g. `[seig:stage:material]`. It makes
 * traces easy to scan and lets test doubles tell prompt types apart without guessing from prose.
 */
import { isStage, type Stage } from "../../stages/index.ts";

export type PromptKind =
  | { kind: "scene-graph" }
  | { kind: "scaffold"; rollout: number }
  | { kind: "select-scaffold" }
  | { kind: "one-shot" }
  | { kind: "stage"; stage: Stage }
  | { kind: "repair"; stage: Stage }
  | { kind: "verify"; stage: Stage }
  | { kind: "compare"; stage: Stage }
  | { kind: "edit-classify" }
  | { kind: "edit"; stage: Stage }
  | { kind: "edit-repair"; stage: Stage }
  | { kind: "edit-verify"; stage: Stage };

export function promptTag(p: PromptKind): string {
  switch (p.kind) {
    case "scene-graph":
    case "select-scaffold":
    case "one-shot":
    case "edit-classify":
      return `[seig:${p.kind}]`;
    case "scaffold":
      return `[seig:scaffold:${p.rollout}]`;
    default:
      return `[seig:${p.kind}:${p.stage}]`;
  }
}

const TAG = /^\[seig:([a-z-]+)(?::([a-z0-9]+))?\]/;

/** The prompt kind named by the first line of `text`, or null when it has no seig tag. */
export function readPromptTag(text: string): PromptKind | null {
  const m = TAG.exec(text.trimStart());
  if (!m) return null;
  const [, kind, arg] = m;
  if (kind === "scene-graph" || kind === "select-scaffold" || kind === "one-shot" || kind === "edit-classify")
    return { kind };
  if (kind === "scaffold" && arg !== undefined && /^\d+$/.test(arg)) return { kind, rollout: Number(arg) };
  if (
    (kind === "stage" ||
      kind === "repair" ||
      kind === "verify" ||
      kind === "compare" ||
      kind === "edit" ||
      kind === "edit-repair" ||
      kind === "edit-verify") &&
    arg &&
    isStage(arg)
  ) {
    return { kind, stage: arg };
  }
  return null;
}
