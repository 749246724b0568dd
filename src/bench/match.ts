/**
 * One-to-one matching of ground-truth objects to reconstructed ones by the Hungarian
 * method (minimum total cost). Pairs costlier than `maxCost` are not matches: an object
 * across the scene is a miss plus an extra, not a badly placed hit.
 */
import computeMunkres from "munkres-js";

export interface Matching {
  /** [truth index, prediction index], sorted by truth index. */
  pairs: [number, number][];
  unmatchedTruth: number[];
  unmatchedPrediction: number[];
}

export function hungarianMatch(
  cost: readonly (readonly number[])[],
  columns: number,
  maxCost = Infinity,
): Matching {
  const rows = cost.length;
  const assigned =
    rows === 0 || columns === 0 ? [] : computeMunkres(cost.map((row) => row.map((c) => Math.min(c, 1e9))));
  const pairs = assigned
    .filter(([i, j]) => i < rows && j < columns && cost[i]![j]! <= maxCost)
    .sort((a, b) => a[0] - b[0]);
  const truthHit = new Set(pairs.map(([i]) => i));
  const predictionHit = new Set(pairs.map(([, j]) => j));
  return {
    pairs,
    unmatchedTruth: range(rows).filter((i) => !truthHit.has(i)),
    unmatchedPrediction: range(columns).filter((j) => !predictionHit.has(j)),
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
