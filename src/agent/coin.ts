/**
 * Seeded coin flips for randomising the order of a pairwise comparison. Counter-based (flip n is a
 * hash of the seed and n), so the whole random state is one number that state.json can keep.
 */
import { createHash } from "node:crypto";

export interface CoinState {
  seed: number;
  draws: number;
}

/** The next flip and the state after it. */
export function flipCoin(state: CoinState): { heads: boolean; next: CoinState } {
  const digest = createHash("sha256").update(`${state.seed}:${state.draws}`).digest();
  return { heads: (digest[0]! & 1) === 1, next: { seed: state.seed, draws: state.draws + 1 } };
}
