/**
 * The search budget: a number of renders or a wall-clock time (`300` or `90s`), shared
 * out to the stages in proportion to their round budgets.
 */
import { InputError } from "../errors.ts";

export type BudgetSpec = { kind: "renders"; renders: number } | { kind: "seconds"; seconds: number };

export function parseBudget(text: string): BudgetSpec {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|seconds|r|renders)?\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0) {
    throw new InputError(`--budget must be a number of renders (300) or seconds (90s), got "${text}"`);
  }
  const value = Number(m[1]);
  return m[2]?.toLowerCase().startsWith("s")
    ? { kind: "seconds", seconds: value }
    : { kind: "renders", renders: Math.round(value) };
}

/** A slice of the budget: spent by renders or by time, whichever the spec counts. */
export class BudgetMeter {
  private rendersUsed = 0;
  private readonly startedAt: number;

  constructor(
    readonly limit: number,
    readonly kind: BudgetSpec["kind"],
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  static share(spec: BudgetSpec, fraction: number, now: () => number = Date.now): BudgetMeter {
    return spec.kind === "renders"
      ? new BudgetMeter(Math.max(1, Math.floor(spec.renders * fraction)), "renders", now)
      : new BudgetMeter(spec.seconds * fraction, "seconds", now);
  }

  spend(renders: number): void {
    this.rendersUsed += renders;
  }

  get renders(): number {
    return this.rendersUsed;
  }

  get elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** How much of the slice is used, in [0, 1]. */
  get fraction(): number {
    const used = this.kind === "renders" ? this.rendersUsed : this.elapsedSeconds;
    return Math.min(1, used / this.limit);
  }

  /** Whether `renders` more fit. Time budgets guess from the average render so far. */
  fits(renders: number): boolean {
    if (this.kind === "renders") return this.rendersUsed + renders <= this.limit;
    const perRender = this.rendersUsed > 0 ? this.elapsedSeconds / this.rendersUsed : 0;
    return this.elapsedSeconds + perRender * renders <= this.limit;
  }

  etaSeconds(): number | null {
    const f = this.fraction;
    return f > 0 ? (this.elapsedSeconds * (1 - f)) / f : null;
  }
}
