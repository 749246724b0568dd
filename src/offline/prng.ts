/**
 * Seeded randomness for the offline search: the same seed gives the same run on every
 * machine. Uniform draws come from the benchmark's mulberry32 generator; normal draws
 * (what CMA-ES samples) are added here by Box–Muller.
 */
import { createRandom, type Random } from "../random.ts";

export interface Prng extends Random {
  /** Standard normal N(0, 1). */
  normal(): number;
}

export function createPrng(seed: number): Prng {
  const random = createRandom(seed);
  const normal = (): number => {
    // 1 - u keeps the argument of log strictly positive.
    const u = 1 - random.next();
    const v = random.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { ...random, normal };
}
