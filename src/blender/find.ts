/** Locating Blender and checking that it is recent enough. */
import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { BlenderNotFoundError } from "../errors.ts";

const run = promisify(execFile);
export const MIN_BLENDER: readonly [number, number] = [3, 4];
const INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install -y blender) or set BLENDER_PATH";

export interface BlenderInstall {
  path: string;
  version: string;
  major: number;
  minor: number;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function searchPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** BLENDER_PATH first, then PATH; throws a one-line BlenderNotFoundError that says how to install. */
export async function findBlender(env: NodeJS.ProcessEnv = process.env): Promise<BlenderInstall> {
  const configured = env["BLENDER_PATH"];
  if (configured && !(await isExecutable(configured))) {
    throw new BlenderNotFoundError(`BLENDER_PATH=${configured} is not an executable file: ${INSTALL_HINT}`);
  }
  const file = configured ?? (await searchPath("blender", env));
  if (!file) throw new BlenderNotFoundError(`Blender was not found on PATH: ${INSTALL_HINT}`);
  const version = await blenderVersion(file);
  const [major, minor] = version.split(".").map(Number) as [number, number];
  if (major < MIN_BLENDER[0] || (major === MIN_BLENDER[0] && minor < MIN_BLENDER[1])) {
    throw new BlenderNotFoundError(
      `Blender ${version} at ${file} is too old (need ≥ ${MIN_BLENDER.join(".")}): ${INSTALL_HINT}`,
    );
  }
  return { path: file, version, major, minor };
}

async function blenderVersion(file: string): Promise<string> {
  try {
    const { stdout } = await run(file, ["--factory-startup", "-b", "--version"], { timeout: 60_000 });
    const match = /Blender (\d+\.\d+(?:\.\d+)?)/.exec(stdout);
    if (!match) throw new Error(`unexpected --version output: ${stdout.slice(0, 80)}`);
    return match[1]!;
  } catch (e) {
    throw new BlenderNotFoundError(
      `Blender at ${file} did not start (${(e as Error).message.split("\n")[0]}): ${INSTALL_HINT}`,
    );
  }
}
