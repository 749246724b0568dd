import { describe, expect, it } from "vitest";
import { CmaEs, minimise } from "../src/offline/cmaes.ts";

const batch = (f: (x: number[]) => number) => async (xs: number[][]) => xs.map(f);
const sphere = (x: number[]) => x.reduce((a, v) => a + (v - 0.3) ** 2, 0);
const rosenbrock = (x: number[]) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
};

describe("CMA-ES", () => {
  it("finds the minimum of a shifted sphere in 8 dimensions", async () => {
    const n = 8;
    const best = await minimise(
      batch(sphere),
      {
        x0: new Array(n).fill(-3),
        lower: new Array(n).fill(-5),
        upper: new Array(n).fill(5),
        sigma0: 0.3,
        seed: 1,
      },
      3000,
    );
    expect(best.f).toBeLessThan(1e-8);
    for (const v of best.x) expect(v).toBeCloseTo(0.3, 3);
  });

  it("finds the Rosenbrock minimum at (1, 1) in 2 and 4 dimensions", async () => {
    for (const n of [2, 4]) {
      const best = await minimise(
        batch(rosenbrock),
        {
          x0: new Array(n).fill(-1),
          lower: new Array(n).fill(-2),
          upper: new Array(n).fill(2),
          sigma0: 0.25,
          seed: 7,
        },
        20000,
      );
      expect(best.f).toBeLessThan(1e-6);
      for (const v of best.x) expect(v).toBeCloseTo(1, 2);
    }
  });

  it("keeps candidates inside the bounds and respects a minimum at the boundary", async () => {
    const lower = [0, 0, 0];
    const upper = [1, 2, 3];
    const cma = new CmaEs({ x0: [0.5, 1, 1.5], lower, upper, sigma0: 0.8, seed: 3 });
    for (let g = 0; g < 60; g++) {
      const xs = cma.ask();
      for (const x of xs) {
        x.forEach((v, i) => {
          expect(v >= lower[i]! && v <= upper[i]!).toBe(true);
        });
      }
      cma.tell(
        xs,
        xs.map((x) => x.reduce((a, v) => a + v, 0)),
      );
    }
    expect(cma.best!.f).toBeLessThan(1e-3);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const opts = { x0: [0, 0], lower: [-1, -1], upper: [1, 1], sigma0: 0.3 };
    const a = new CmaEs({ ...opts, seed: 5 }).ask();
    const b = new CmaEs({ ...opts, seed: 5 }).ask();
    const c = new CmaEs({ ...opts, seed: 6 }).ask();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
