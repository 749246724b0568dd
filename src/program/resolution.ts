/**
 * The frame a program was made for. A Blender camera's field of view depends on the render's
 * aspect ratio (the sensor is fitted to one side), so a program that does not know the photo's
 * size cannot frame the scene as the photo does. The program carries it as
 * PARAMS["render.resolution"] = [width, height]; the canonical footer's build() applies it, so
 * the program run standalone, opened in Blender, or exported to .blend or glTF has the photo's
 * frame, and `seig render`, `views`, `relight` and `export` default to it.
 *
 * No section reads the key, so no stage owns it and no stage may change it (ownership.ts);
 * `seig set program.py render.resolution=640,480` changes it on purpose.
 */
import { assembleProgram } from "./assemble.ts";
import { checkParamRange } from "./param-ranges.ts";
import { parseProgram, type SceneProgram } from "./parse.ts";

export const RESOLUTION_KEY = "render.resolution";

export interface Resolution {
  width: number;
  height: number;
}

/** What a program without a resolution renders at: 4:3, the shape of most photos. */
export const FALLBACK_RESOLUTION: Resolution = { width: 512, height: 384 };

/** The program's resolution, or null when it has none (programs from before it was recorded). */
export function programResolution(program: string | SceneProgram): Resolution | null {
  const parsed =
    typeof program === "string" ? parseProgram(program, { requireCanonicalFooter: false }) : program;
  const value = parsed.params[RESOLUTION_KEY];
  if (value === undefined) return null;
  checkParamRange(RESOLUTION_KEY, value);
  const [width, height] = value as [number, number];
  return { width, height };
}

/** The program with its resolution set (added when it had none); everything else unchanged. */
export function withResolution(source: string, resolution: Resolution): string {
  const program = parseProgram(source);
  const value = [resolution.width, resolution.height];
  checkParamRange(RESOLUTION_KEY, value);
  return assembleProgram({ ...program, params: { ...program.params, [RESOLUTION_KEY]: value } });
}

/** The size to render at: the one asked for, else the program's, else the fallback. */
export function resolutionFor(source: string, asked?: Resolution): Resolution {
  return asked ?? programResolution(source) ?? FALLBACK_RESOLUTION;
}
