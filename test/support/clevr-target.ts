/** A generated CLEVR scene rendered through a short-lived pool: the "photo" offline tests reconstruct. */
import path from "node:path";
import { clevrScene } from "../../src/bench/suites/clevr.ts";
import { BlenderPool } from "../../src/blender/pool.ts";
import { programBody } from "../../src/program/assemble.ts";
import { emitProgram } from "../../src/program/emit.ts";
import { createRandom } from "../../src/random.ts";

/** Renders CLEVR scene `seed` to `<dir>/target.png` (16 samples) and returns that path. */
export async function renderClevrTarget(dir: string, seed: number, width = 96, height = 72): Promise<string> {
  const pool = await BlenderPool.start({ size: 1, writableDirs: [dir] });
  try {
    const reply = await pool.run({
      body: programBody(emitProgram(clevrScene(createRandom(seed)).spec)),
      outDir: dir,
      render: { width, height, samples: 16, views: [{ name: "target" }] },
    });
    if (!reply.ok) throw new Error(`the CLEVR target did not render: ${reply.error?.message}`);
  } finally {
    await pool.close();
  }
  return path.join(dir, "target.png");
}
