/**
 * The end-to-end probe behind `seig doctor`: start one real worker through the pool, in the
 * sandbox a reconstruction uses, and render a tiny emitted scene. Finding a Blender binary
 * is not enough: the worker can still die on start (a Python module Debian's Blender lacks,
 * a sandbox that cannot start), and then doctor would say all green while every
 * reconstruction fails. A failure is reduced to one cause and the command that fixes it.
 */
import sharp from "sharp";
import { BlenderNotFoundError, oneLine } from "../errors.ts";
import { programBody } from "../program/assemble.ts";
import { emitProgram } from "../program/emit.ts";
import type { SceneSpecInput } from "../program/scene-spec.ts";
import { BlenderPool } from "./pool.ts";
import type { SandboxMode } from "./sandbox.ts";

/** A Python module the runtime needs beyond the standard library and Blender's own modules. */
export interface PythonPackage {
  /** The Debian package that provides it. */
  debian: string;
  /** Who imports it: Blender's embedded Python (the worker), or the system python3. */
  interpreter: "blender" | "python3";
}

/**
 * Python modules the files under src/blender/python import that are neither Blender's own
 * nor the standard library. Most run inside Blender; seccomp_filter.py runs under the system
 * python3 before any worker starts. scripts/setup.sh installs these packages;
 * test/setup-packages.test.ts keeps the three in step.
 */
export const RUNTIME_PYTHON_PACKAGES: Readonly<Record<string, PythonPackage>> = {
  numpy: { debian: "python3-numpy", interpreter: "blender" },
  seccomp: { debian: "python3-seccomp", interpreter: "python3" },
};

const SETUP_HINT = "(or bash scripts/setup.sh)";
const PROBE_SIZE = { width: 32, height: 24 };

export type HealthReport =
  | { ok: true; blenderVersion: string; sandboxed: boolean; seconds: number }
  | { ok: false; cause: string; fix: string };

/** One cube on a ground plane under a sun: every factor of the program format is exercised. */
const PROBE_SCENE: SceneSpecInput = {
  objects: [{ name: "probe", shape: "cube", size: [1, 1, 1], location: [0, 0, 0.5], color: [0.8, 0.2, 0.1] }],
  camera: { location: [4, -4, 3], lookAt: [0, 0, 0.5] },
  sun: { elevationDeg: 45, azimuthDeg: 30, strength: 3 },
  world: { color: [0.4, 0.5, 0.6] },
  ground: { color: [0.5, 0.5, 0.5] },
};

/** Starts a one-worker pool and renders the probe scene; never throws. */
export async function probeRender(
  options: { sandbox?: SandboxMode; timeoutMs?: number } = {},
): Promise<HealthReport> {
  const started = Date.now();
  let pool: BlenderPool;
  try {
    pool = await BlenderPool.start({ size: 1, sandbox: options.sandbox ?? "auto" });
  } catch (e) {
    return { ok: false, ...diagnose(e) };
  }
  try {
    const reply = await pool.run(
      { body: programBody(emitProgram(PROBE_SCENE)), render: { ...PROBE_SIZE, samples: 1 } },
      { timeoutMs: options.timeoutMs ?? 60_000 },
    );
    if (!reply.ok || reply.error) {
      const message = reply.error ? `${reply.error.kind}: ${reply.error.message}` : "no reply";
      return { ok: false, ...diagnose(new Error(`the test render failed (${message})`)) };
    }
    const image = reply.images[0];
    const meta = image ? await sharp(image.path).metadata() : null;
    if (meta?.width !== PROBE_SIZE.width || meta.height !== PROBE_SIZE.height) {
      return {
        ok: false,
        cause: `the test render wrote no ${PROBE_SIZE.width}×${PROBE_SIZE.height} image`,
        fix: "check that the Cycles render engine works: blender -b --factory-startup -E CYCLES -f 1",
      };
    }
    const seconds = (Date.now() - started) / 1000;
    return { ok: true, blenderVersion: pool.blenderVersion, sandboxed: pool.sandboxed, seconds };
  } catch (e) {
    return { ok: false, ...diagnose(e) };
  } finally {
    await pool.close();
  }
}

/** The cause of a failed probe in a few words, and the command that fixes it. */
export function diagnose(error: unknown): { cause: string; fix: string } {
  const message = error instanceof Error ? error.message : String(error);
  const missingModule = /No module named '([\w.]+)'/.exec(message);
  if (missingModule) {
    const module = missingModule[1]!.split(".")[0]!;
    const known = RUNTIME_PYTHON_PACKAGES[module];
    const who = known?.interpreter === "python3" ? "the system python3" : "Blender's Python";
    return {
      cause: `${who} lacks ${module}`,
      fix: `run \`apt-get install -y ${known?.debian ?? `python3-${module}`}\` ${SETUP_HINT}`,
    };
  }
  if (error instanceof BlenderNotFoundError) {
    return { cause: oneLine(error), fix: `run \`apt-get install -y blender\` ${SETUP_HINT}` };
  }
  if (/bubblewrap is not installed/.test(message)) {
    return {
      cause: "no sandbox for generated programs: bubblewrap is not installed",
      fix: `run \`apt-get install -y bubblewrap\` ${SETUP_HINT}`,
    };
  }
  if (/no sandbox for untrusted scene programs/.test(message)) {
    return {
      cause: oneLine(error),
      fix: "let bubblewrap create namespaces here (a container may need --privileged or user namespaces enabled)",
    };
  }
  return {
    cause: oneLine(error),
    fix: `run \`bash scripts/setup.sh\`; if it persists, the message names what Blender could not do`,
  };
}
