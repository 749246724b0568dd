/** Orbit frames to a turntable animation with ffmpeg (spawned without a shell). */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { SeigError } from "../errors.ts";

const run = promisify(execFile);

export type TurntableFormat = "gif" | "mp4";

export async function ffmpegAvailable(): Promise<boolean> {
  return run("ffmpeg", ["-version"]).then(
    () => true,
    () => false,
  );
}

/** Encodes `<dir>/<prefix>NN.png` frames (in order) into `out`. */
export async function encodeTurntable(
  dir: string,
  prefix: string,
  format: TurntableFormat,
  out: string,
  fps = 8,
): Promise<string> {
  const input = path.join(dir, `${prefix}%02d.png`);
  const encode =
    format === "gif"
      ? ["-filter_complex", "[0:v]split[a][b];[a]palettegen[p];[b][p]paletteuse", "-loop", "0"]
      : ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"];
  try {
    await run("ffmpeg", ["-y", "-loglevel", "error", "-framerate", String(fps), "-i", input, ...encode, out]);
  } catch (e) {
    throw new SeigError(
      `ffmpeg could not write ${out}: ${(e as { stderr?: string }).stderr?.trim().split("\n")[0] ?? e}`,
    );
  }
  return out;
}
