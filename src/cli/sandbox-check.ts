/** `seig doctor`'s sandbox line: starts one real sandboxed worker and reports its strength. */
import { findBlender } from "../blender/find.ts";
import { BlenderPool } from "../blender/pool.ts";
import { blenderDirs } from "../blender/sandbox-mounts.ts";
import { assessSandbox, type StrengthCheck } from "../blender/sandbox-strength.ts";
import { oneLine } from "../errors.ts";

export async function sandboxStrength(): Promise<{ ok: boolean; detail: string }> {
  let pool: BlenderPool | undefined;
  try {
    pool = await BlenderPool.start({ size: 1 });
    const blender = await findBlender();
    const checks: StrengthCheck[] = assessSandbox(pool.sandboxReport!, await blenderDirs(blender.path));
    const failed = checks.filter((c) => !c.ok);
    const detail = failed.length
      ? `WEAK: ${failed.map((c) => `${c.name} (${c.detail})`).join("; ")}`
      : `bubblewrap: ${checks.map((c) => c.name).join(", ")} — all verified from inside a worker`;
    return { ok: failed.length === 0, detail };
  } catch (e) {
    return {
      ok: false,
      detail: `UNSAFE: ${oneLine(e)}; generated code will only run with --unsafe-no-sandbox`,
    };
  } finally {
    await pool?.close();
  }
}
