/**
 * Turns a SceneSpec into a scene program in the fixed shape, with every continuous
 * quantity in PARAMS under the key convention the stages, the numeric search and the
 * benchmark rely on, and reads such a program back into a SceneSpec.
 */
import { InputError } from "../errors.ts";
import { inputProblem } from "../input-message.ts";
import type { Stage } from "../stages/index.ts";
import { assembleProgram, withCanonicalFooter } from "./assemble.ts";
import type { SceneProgram } from "./parse.ts";
import { parseProgram } from "./parse.ts";
import { RESOLUTION_KEY, type Resolution } from "./resolution.ts";
import { sceneLibrary } from "./scene-library.ts";
import {
  isBasicShape,
  type SceneObject,
  SceneSpec,
  type SceneSpecInput,
  SHAPE_QUANTITY,
  Shape,
  shapeQuantity,
} from "./scene-spec.ts";
import { specParams } from "./spec-params.ts";

/** Names used by PARAMS keys of the scene itself; objects may not take them. */
const RESERVED_NAMES = ["ground", "camera", "sun", "world", "render"];

function section(fn: string, lines: string[]): string {
  return `def ${fn}(P):\n${(lines.length ? lines : ["pass"]).map((l) => `    ${l}\n`).join("")}\n`;
}

function sectionsOf(spec: SceneSpec): Record<Stage, string> {
  const objects: SceneObject[] = spec.objects;
  const p = (key: string) => `P["${key}"]`;
  const geometry = objects.map((o) => {
    // Basic shapes keep the three-argument call, so their programs read as they always did.
    const quantity = shapeQuantity(o.shape);
    const extra = quantity ? `, ${p(`${o.name}.${quantity}`)}` : "";
    return `primitive("${o.name}", "${o.shape}", ${p(`${o.name}.size`)}${extra})`;
  });
  const material = objects.map(
    (o) =>
      `assign("${o.name}", principled("${o.name}_mat", ${p(`${o.name}.color`)}, ${p(`${o.name}.roughness`)}, ${p(`${o.name}.metallic`)}))`,
  );
  const composition = objects.map(
    (o) => `place("${o.name}", ${p(`${o.name}.location`)}, ${p(`${o.name}.rotation_deg`)})`,
  );
  if (spec.ground) {
    geometry.push(`ground_plane("ground", ${p("ground.size")})`);
    material.push(
      `assign("ground", principled("ground_mat", ${p("ground.color")}, ${p("ground.roughness")}))`,
    );
  }
  composition.push(
    `add_camera("camera", ${p("camera.location")}, ${p("camera.look_at")}, ${p("camera.lens_mm")}, ${p("camera.sensor_mm")})`,
  );
  const lighting = [
    `add_sun("sun", ${p("sun.elevation_deg")}, ${p("sun.azimuth_deg")}, ${p("sun.strength")}, ${p("sun.color")}, ${p("sun.angle_deg")})`,
    `set_world("world", ${p("world.color")}, ${p("world.strength")})`,
    `set_exposure(${p("render.exposure")})`,
  ];
  return {
    geometry: section("build_geometry", geometry),
    material: section("build_materials", material),
    composition: section("compose", composition),
    lighting: section("build_lighting", lighting),
  };
}

function checkNames(spec: SceneSpec): void {
  const seen = new Set<string>();
  for (const o of spec.objects) {
    if (RESERVED_NAMES.includes(o.name)) {
      throw new InputError(
        `object name "${o.name}" is reserved for the scene's own PARAMS (${RESERVED_NAMES.join(", ")}); rename the object`,
      );
    }
    if (seen.has(o.name))
      throw new InputError(`two objects are named "${o.name}"; object names must be unique`);
    seen.add(o.name);
  }
}

export interface EmitOptions {
  /** What the program was made from, for its first line. */
  source?: string;
  /** The photo's size: the frame the camera's field of view is meant for (resolution.ts). */
  resolution?: Resolution;
}

const HEADER_LINE = /^# seig scene program v1 — generated from .*$/m;

/**
 * `source` with the "generated from …" line of `from`: a move re-emits the incumbent's scene
 * from its spec, which knows nothing of the photo the run started from.
 */
export function withOriginOf(from: string, source: string): string {
  const line = HEADER_LINE.exec(from.split("\n", 1)[0] ?? "");
  return line && HEADER_LINE.test(source.split("\n", 1)[0] ?? "")
    ? source.replace(HEADER_LINE, () => line[0])
    : source;
}

/**
 * The program for a scene: PARAMS grouped by stage (geometry, material, composition, lighting),
 * then the resolution, which no stage owns.
 */
export function emitProgram(specInput: SceneSpecInput, opts: EmitOptions = {}): string {
  const problem = inputProblem(SceneSpec, specInput, (key) => String(key ?? "it"));
  if (problem !== null) throw new InputError(`scene spec is invalid: ${problem}`);
  const spec = SceneSpec.parse(specInput);
  checkNames(spec);
  const origin = opts.source ? opts.source.replace(/[\r\n]+/g, " ") : "a scene spec";
  const program: SceneProgram = {
    header: `# seig scene program v1 — generated from ${origin}\n${sceneLibrary({
      shapes: spec.objects.some((o) => !isBasicShape(o.shape)),
    })}\n\n`,
    params: {
      ...specParams(spec),
      ...(opts.resolution ? { [RESOLUTION_KEY]: [opts.resolution.width, opts.resolution.height] } : {}),
    },
    sections: sectionsOf(spec),
    footer: "",
  };
  return withCanonicalFooter(assembleProgram(program));
}

const PRIMITIVE_CALL =
  /^\s*primitive\("([a-z][a-z0-9_]*)", "(\w+)", P\["\1\.size"\](?:, P\["\1\.(\w+)"\])?\)\s*$/gm;
const SHAPE_QUANTITIES: readonly string[] = Object.values(SHAPE_QUANTITY);
const GROUND_CALL = /^\s*ground_plane\("ground", P\["ground\.size"\]\)\s*$/m;

/**
 * The SceneSpec of a program written by emitProgram (after any PARAMS edits), or null when
 * the program's geometry section or PARAMS no longer have emitProgram's form.
 */
export function specFromProgram(source: string): SceneSpec | null {
  let program: SceneProgram;
  try {
    program = parseProgram(source, { requireCanonicalFooter: false });
  } catch {
    return null;
  }
  const missing: string[] = [];
  // Every value must come from PARAMS: the schema's defaults would hide a missing key.
  const P = new Proxy(program.params as Record<string, unknown>, {
    get: (params, key: string) => {
      if (!Object.hasOwn(params, key)) missing.push(key);
      return params[key];
    },
  });
  const calls = [...program.sections.geometry.matchAll(PRIMITIVE_CALL)];
  if (calls.some(([, , , quantity]) => quantity !== undefined && !SHAPE_QUANTITIES.includes(quantity)))
    return null;
  const objects = calls.map(([, name, shape, quantity]) => ({
    name,
    shape: Shape.safeParse(shape).data,
    size: P[`${name}.size`],
    ...(quantity ? { [quantity]: P[`${name}.${quantity}`] } : {}),
    location: P[`${name}.location`],
    rotationDeg: P[`${name}.rotation_deg`],
    color: P[`${name}.color`],
    roughness: P[`${name}.roughness`],
    metallic: P[`${name}.metallic`],
  }));
  const spec = SceneSpec.safeParse({
    objects,
    camera: {
      location: P["camera.location"],
      lookAt: P["camera.look_at"],
      lensMm: P["camera.lens_mm"],
      sensorMm: P["camera.sensor_mm"],
    },
    sun: {
      elevationDeg: P["sun.elevation_deg"],
      azimuthDeg: P["sun.azimuth_deg"],
      strength: P["sun.strength"],
      color: P["sun.color"],
      angleDeg: P["sun.angle_deg"],
    },
    world: { color: P["world.color"], strength: P["world.strength"] },
    ground: GROUND_CALL.test(program.sections.geometry)
      ? { color: P["ground.color"], roughness: P["ground.roughness"], size: P["ground.size"] }
      : undefined,
    exposure: P["render.exposure"],
  });
  return spec.success && missing.length === 0 ? spec.data : null;
}
