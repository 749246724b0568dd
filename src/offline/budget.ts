/**
 * The run's budget: a number of renders (`1200`, `1200r`) or a wall-clock time (`60s`). It
 * bounds the whole run: initialisation spends from it first (it always runs in full), the
 * final render takes one, and the stages share what is left in proportion to their round
 * budgets. Renders are the default because they make a run reproducible: the same photo,
 * seed and options stop at the same render on an idle and on a loaded machine, where a
 * time budget stops wherever the clock runs out.
 */
import { InputError } from "../errors.ts";

export type BudgetSpec = { kind: "renders"; renders: number } | { kind: "seconds"; seconds: number };

export function parseBudget(text: string): BudgetSpec {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|seconds|r|renders)?\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0) {
    throw new InputError(
      `--budget must be a number of renders (1200 or 1200r) or of seconds (60s), got "${text}"`,
    );
  }
  const value = Number(m[1]);
  return m[2]?.toLowerCase().startsWith("s")
    ? { kind: "seconds", seconds: value }
    : { kind: "renders", renders: Math.max(1, Math.round(value)) };
}

export function formatBudget(spec: BudgetSpec): string {
  return spec.kind === "seconds" ? `${spec.seconds}s` : String(spec.renders);
}

/** What the stages may share once initialisation spent `initRenders` renders in `initSeconds` (the final render keeps one). */
export function stagePool(spec: BudgetSpec, initRenders: number, initSeconds: number): BudgetSpec {
  return spec.kind === "renders"
    ? { kind: "renders", renders: Math.max(0, spec.renders - initRenders - 1) }
    : { kind: "seconds", seconds: Math.max(0, spec.seconds - initSeconds) };
}

/** Where a meter starts: what an interrupted run had already spent of it. */
export interface MeterStart {
  renders: number;
  seconds: number;
}

/**
 * A slice of the budget: spent by renders or by time, whichever the spec counts. `halt` ends
 * every slice at once (the --time-limit cap): fits() is false from then on.
 */
export class BudgetMeter {
  private rendersUsed: number;
  private readonly startedAt: number;
  private readonly secondsBefore: number;

  constructor(
    readonly limit: number,
    readonly kind: BudgetSpec["kind"],
    private readonly now: () => number = Date.now,
    private readonly halt: () => boolean = () => false,
    start: MeterStart = { renders: 0, seconds: 0 },
  ) {
    this.startedAt = now();
    this.rendersUsed = start.renders;
    this.secondsBefore = start.seconds;
  }

  static share(
    spec: BudgetSpec,
    fraction: number,
    options: { now?: () => number; halt?: () => boolean; start?: MeterStart } = {},
  ): BudgetMeter {
    const { now = Date.now, halt, start } = options;
    return spec.kind === "renders"
      ? new BudgetMeter(Math.floor(spec.renders * fraction), "renders", now, halt, start)
      : new BudgetMeter(spec.seconds * fraction, "seconds", now, halt, start);
  }

  spend(renders: number): void {
    this.rendersUsed += renders;
  }

  get renders(): number {
    return this.rendersUsed;
  }

  get elapsedSeconds(): number {
    return this.secondsBefore + (this.now() - this.startedAt) / 1000;
  }

  /** How much of the slice is used, in [0, 1]. */
  get fraction(): number {
    if (this.limit <= 0) return 1;
    const used = this.kind === "renders" ? this.rendersUsed : this.elapsedSeconds;
    return Math.min(1, used / this.limit);
  }

  /** Whether `renders` more fit. Time budgets guess from the average render so far. */
  fits(renders: number): boolean {
    if (this.halt()) return false;
    if (this.kind === "renders") return this.rendersUsed + renders <= this.limit;
    const perRender = this.rendersUsed > 0 ? this.elapsedSeconds / this.rendersUsed : 0;
    return this.elapsedSeconds + perRender * renders <= this.limit;
  }

  etaSeconds(): number | null {
    const f = this.fraction;
    return f > 0 ? (this.elapsedSeconds * (1 - f)) / f : null;
  }
}
