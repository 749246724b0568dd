/** Proof that an edit stayed in its factor: build both programs and compare fingerprints. */

import { changesOutside, describeChanges, type FactorChange } from "../blender/fingerprint-diff.ts";
import type { BlenderPool } from "../blender/pool.ts";
import { SeigError } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import type { Stage } from "../stages/index.ts";

export async function changesOutsideFactor(
  pool: BlenderPool,
  before: string,
  after: string,
  factor: Stage,
): Promise<FactorChange[]> {
  const [a, b] = await Promise.all([
    pool.run({ body: programBody(before) }),
    pool.run({ body: programBody(after) }),
  ]);
  for (const [reply, which] of [
    [a, "original"],
    [b, "edited"],
  ] as const) {
    if (!reply.ok) throw new SeigError(`the ${which} program failed: ${reply.error?.message}`);
  }
  return changesOutside(a.fingerprint!, b.fingerprint!, factor);
}

export async function assertOnlyFactorChanged(
  pool: BlenderPool,
  before: string,
  after: string,
  factor: Stage,
): Promise<void> {
  const outside = await changesOutsideFactor(pool, before, after, factor);
  if (outside.length)
    throw new SeigError(`the ${factor} edit changed other factors: ${describeChanges(outside)}`);
}
