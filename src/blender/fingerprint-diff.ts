/**
 * Which factors a candidate changed, from two fingerprints. This is how edit scope is
 * enforced rather than requested: a stage's candidate may change only its own factor.
 */
import { STAGES, type Stage } from "../stages/index.ts";
import type { Fingerprint } from "./protocol.ts";

export interface FactorChange {
  factor: Stage;
  /** Object, material slot, light or setting that changed. */
  key: string;
  change: "added" | "removed" | "changed";
}

export function diffFingerprints(before: Fingerprint, after: Fingerprint): FactorChange[] {
  const changes: FactorChange[] = [];
  for (const factor of STAGES) {
    const a = before[factor];
    const b = after[factor];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in a)) changes.push({ factor, key, change: "added" });
      else if (!(key in b)) changes.push({ factor, key, change: "removed" });
      else if (a[key] !== b[key]) changes.push({ factor, key, change: "changed" });
    }
  }
  return changes;
}

/** Changes a candidate of `allowed`'s stage made to other factors (empty: in scope). */
export function changesOutside(before: Fingerprint, after: Fingerprint, allowed: Stage): FactorChange[] {
  return diffFingerprints(before, after).filter((c) => c.factor !== allowed && !isCascade(c, allowed));
}

/**
 * Adding or removing an object is a geometry edit that necessarily adds or removes that
 * object's transform and material slots too; those follow from the geometry change.
 */
function isCascade(change: FactorChange, allowed: Stage): boolean {
  return (
    allowed === "geometry" &&
    change.change !== "changed" &&
    (change.factor === "composition" || change.factor === "material")
  );
}

/** One line a generator can act on: "moved cube (composition), changed sun (lighting)". */
export function describeChanges(changes: FactorChange[]): string {
  return changes.map((c) => `${c.change} ${c.key} (${c.factor})`).join(", ");
}
