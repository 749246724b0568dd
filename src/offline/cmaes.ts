/**
 * A seeded, bounded CMA-ES (Hansen, "The CMA Evolution Strategy: A Tutorial", 2016) with
 * full covariance, so correlated parameters (an object's size against its distance to the
 * camera) are learned together. Ask/tell so that a whole generation is evaluated as one
 * batch through the Blender pool.
 *
 * The search runs in coordinates normalised to the box [0, 1]^n; candidates outside the
 * box are clipped, and the clipped point is what is evaluated and learned from.
 */
import { symmetricEigen } from "./eigen.ts";
import { createPrng, type Prng } from "./prng.ts";

export interface CmaOptions {
  /** Starting point, inside [lower, upper]. */
  x0: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  /** Initial step size as a fraction of each box side. */
  sigma0: number;
  seed: number;
  /** Candidates per generation; 4 + ⌊3 ln n⌋ by default. */
  popSize?: number;
}

export interface CmaPoint {
  x: number[];
  f: number;
}

export class CmaEs {
  readonly n: number;
  readonly lambda: number;
  private readonly mu: number;
  private readonly weights: number[];
  private readonly muEff: number;
  private readonly cSigma: number;
  private readonly dSigma: number;
  private readonly cc: number;
  private readonly c1: number;
  private readonly cMu: number;
  private readonly chiN: number;
  private readonly rng: Prng;
  private readonly lower: readonly number[];
  private readonly upper: readonly number[];
  private mean: number[];
  private sigma: number;
  private cov: number[][];
  /** cov = B · diag(d²) · Bᵀ, refreshed after every update. */
  private basis: number[][];
  private d: number[];
  private pSigma: number[];
  private pc: number[];
  private gen = 0;
  private bestSoFar: CmaPoint | null = null;

  constructor(options: CmaOptions) {
    const n = options.x0.length;
    if (n === 0 || options.lower.length !== n || options.upper.length !== n) {
      throw new RangeError("CMA-ES needs x0, lower and upper of the same non-zero length");
    }
    this.n = n;
    this.lower = options.lower;
    this.upper = options.upper;
    this.rng = createPrng(options.seed);
    this.lambda = Math.max(2, options.popSize ?? 4 + Math.floor(3 * Math.log(n)));
    this.mu = Math.max(1, Math.floor(this.lambda / 2));
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log(this.mu + 0.5) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    this.weights = raw.map((w) => w / sum);
    this.muEff = 1 / this.weights.reduce((a, w) => a + w * w, 0);
    const mueff = this.muEff;
    this.cSigma = (mueff + 2) / (n + mueff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + this.cSigma;
    this.cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    this.c1 = 2 / ((n + 1.3) ** 2 + mueff);
    this.cMu = Math.min(1 - this.c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = options.x0.map((v, i) => this.normalise(v, i));
    this.sigma = options.sigma0;
    this.cov = identity(n);
    this.basis = identity(n);
    this.d = new Array(n).fill(1);
    this.pSigma = new Array(n).fill(0);
    this.pc = new Array(n).fill(0);
  }

  get generation(): number {
    return this.gen;
  }

  /** Largest current step (normalised units): small means the search has converged. */
  get stepSize(): number {
    return this.sigma * Math.max(...this.d);
  }

  get best(): CmaPoint | null {
    return this.bestSoFar;
  }

  /** The current mean, in the caller's coordinates. */
  get centre(): number[] {
    return this.mean.map((v, i) => this.denormalise(v, i));
  }

  /** One generation of candidates in the caller's coordinates, already inside the bounds. */
  ask(): number[][] {
    return Array.from({ length: this.lambda }, () => {
      const scaled = this.d.map((di) => di * this.rng.normal());
      const y = matVec(this.basis, scaled);
      return this.mean.map((m, i) => this.denormalise(clamp01(m + this.sigma * y[i]!), i));
    });
  }

  /** Learns from evaluated candidates (any number ≥ μ; usually exactly what ask returned). */
  tell(xs: readonly number[][], fs: readonly number[]): void {
    if (xs.length !== fs.length || xs.length < this.mu)
      throw new RangeError("tell needs one loss per candidate, at least μ");
    const order = fs.map((_, i) => i).sort((a, b) => fs[a]! - fs[b]!);
    const top = order[0]!;
    if (!this.bestSoFar || fs[top]! < this.bestSoFar.f) this.bestSoFar = { x: [...xs[top]!], f: fs[top]! };
    const n = this.n;
    const ys = order
      .slice(0, this.mu)
      .map((k) => xs[k]!.map((v, i) => (this.normalise(v, i) - this.mean[i]!) / this.sigma));
    const yMean = new Array<number>(n).fill(0);
    ys.forEach((y, j) => {
      for (let i = 0; i < n; i++) yMean[i]! += this.weights[j]! * y[i]!;
    });
    this.mean = this.mean.map((m, i) => clamp01(m + this.sigma * yMean[i]!));
    // C^(-1/2) · yMean = B · diag(1/d) · Bᵀ · yMean
    const whitened = matVec(
      this.basis,
      matTVec(this.basis, yMean).map((v, i) => v / this.d[i]!),
    );
    const sqrtCs = Math.sqrt(this.cSigma * (2 - this.cSigma) * this.muEff);
    this.pSigma = this.pSigma.map((p, i) => (1 - this.cSigma) * p + sqrtCs * whitened[i]!);
    const pSigmaNorm = Math.hypot(...this.pSigma);
    this.gen++;
    const hSigma =
      pSigmaNorm / Math.sqrt(1 - (1 - this.cSigma) ** (2 * this.gen)) < (1.4 + 2 / (n + 1)) * this.chiN
        ? 1
        : 0;
    const sqrtCc = Math.sqrt(this.cc * (2 - this.cc) * this.muEff);
    this.pc = this.pc.map((p, i) => (1 - this.cc) * p + hSigma * sqrtCc * yMean[i]!);
    const keep = 1 - this.c1 - this.cMu + (1 - hSigma) * this.c1 * this.cc * (2 - this.cc);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c <= r; c++) {
        const rankMu = ys.reduce((a, y, j) => a + this.weights[j]! * y[r]! * y[c]!, 0);
        const value = keep * this.cov[r]![c]! + this.c1 * this.pc[r]! * this.pc[c]! + this.cMu * rankMu;
        this.cov[r]![c] = value;
        this.cov[c]![r] = value;
      }
    }
    const eigen = symmetricEigen(this.cov);
    this.basis = eigen.vectors;
    this.d = eigen.values.map((v) => Math.sqrt(Math.max(v, 1e-20)));
    this.sigma *= Math.exp((this.cSigma / this.dSigma) * (pSigmaNorm / this.chiN - 1));
    // A step wider than the whole box is meaningless and only wastes evaluations.
    this.sigma = Math.min(this.sigma, 1);
  }

  private normalise(v: number, i: number): number {
    const span = this.upper[i]! - this.lower[i]!;
    return span > 0 ? (v - this.lower[i]!) / span : 0.5;
  }

  private denormalise(u: number, i: number): number {
    return this.lower[i]! + u * (this.upper[i]! - this.lower[i]!);
  }
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function matVec(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => row.reduce((a, x, j) => a + x * v[j]!, 0));
}

function matTVec(m: number[][], v: readonly number[]): number[] {
  return m.map((_, j) => m.reduce((a, row, i) => a + row[j]! * v[i]!, 0));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Runs CMA-ES on a batch-evaluated objective until maxEvals evaluations are spent. */
export async function minimise(
  objective: (xs: number[][]) => Promise<number[]>,
  options: CmaOptions,
  maxEvals: number,
): Promise<CmaPoint> {
  const cma = new CmaEs(options);
  let evals = 0;
  while (evals + cma.lambda <= maxEvals) {
    const xs = cma.ask();
    cma.tell(xs, await objective(xs));
    evals += xs.length;
  }
  if (!cma.best) throw new RangeError(`maxEvals ${maxEvals} is smaller than one generation (${cma.lambda})`);
  return cma.best;
}
