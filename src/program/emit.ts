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
import { type SceneObject, SceneSpec, type SceneSpecInput, Shape } from "./scene-spec.ts";
import { specParams } from "./spec-params.ts";

/** Names used by PARAMS keys of the scene itself; objects may not take them. */
const RESERVED_NAMES = ["ground", "camera", "sun", "world", "render"];

/** Shared helpers (header): the sections call these so each stays a short list of calls. */
const HELPERS = `import bpy, bmesh, math
from mathutils import Vector

# Unit primitives span [-0.5, 0.5] on every axis, so scaling the vertices by an object's
# size gives exactly that size; the torus tube is a quarter of its outer diameter.
TORUS_MAJOR, TORUS_MINOR = 0.375, 0.125


def link_mesh(name, bm, smooth):
    bm.normal_update()
    for face in bm.faces:
        # Round shapes are smooth except their flat caps.
        face.smooth = smooth and abs(face.normal.z) < 0.999
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def torus(bm, major_segments=48, minor_segments=16):
    rings = []
    for i in range(major_segments):
        u = 2 * math.pi * i / major_segments
        ring = []
        for j in range(minor_segments):
            v = 2 * math.pi * j / minor_segments
            r = TORUS_MAJOR + TORUS_MINOR * math.cos(v)
            ring.append(bm.verts.new((r * math.cos(u), r * math.sin(u), TORUS_MINOR * math.sin(v))))
        rings.append(ring)
    for i in range(major_segments):
        a, b = rings[i], rings[(i + 1) % major_segments]
        for j in range(minor_segments):
            k = (j + 1) % minor_segments
            bm.faces.new((a[j], b[j], b[k], a[k]))


def primitive(name, shape, size):
    """A mesh object centred at the origin whose mesh data has the full extents \`size\`."""
    bm = bmesh.new()
    scale = Vector(size)
    if shape == "cube":
        bmesh.ops.create_cube(bm, size=1.0)
    elif shape == "sphere":
        bmesh.ops.create_uvsphere(bm, u_segments=32, v_segments=16, radius=0.5)
    elif shape in ("cylinder", "cone"):
        top = 0.5 if shape == "cylinder" else 0.0
        bmesh.ops.create_cone(bm, cap_ends=True, cap_tris=False, segments=32, radius1=0.5, radius2=top, depth=1.0)
    elif shape == "torus":
        torus(bm)
        scale.z /= 2 * TORUS_MINOR
    else:
        raise ValueError("unknown shape " + shape)
    bmesh.ops.scale(bm, vec=scale, verts=bm.verts)
    return link_mesh(name, bm, smooth=shape != "cube")


def ground_plane(name, size):
    bm = bmesh.new()
    h = size / 2
    corners = [bm.verts.new((x * h, y * h, 0.0)) for x, y in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    bm.faces.new(corners)
    return link_mesh(name, bm, smooth=False)


def principled(name, color, roughness, metallic=0.0):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = next(n for n in mat.node_tree.nodes if n.type == "BSDF_PRINCIPLED")
    # These socket names are the same in Blender 3.x and 4.x.
    bsdf.inputs["Base Color"].default_value = (color[0], color[1], color[2], 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    return mat


def assign(name, mat):
    data = bpy.data.objects[name].data
    data.materials.clear()
    data.materials.append(mat)


def place(name, location, rotation_deg):
    obj = bpy.data.objects[name]
    obj.location = location
    obj.rotation_euler = [math.radians(a) for a in rotation_deg]


def look_at(location, target):
    """Rotation that points an object's -Z axis from \`location\` at \`target\`, +Y up."""
    return (Vector(target) - Vector(location)).to_track_quat("-Z", "Y").to_euler()


def add_camera(name, location, target, lens_mm, sensor_mm):
    cam = bpy.data.cameras.new(name)
    cam.lens = lens_mm
    cam.sensor_width = sensor_mm
    cam.sensor_fit = "HORIZONTAL"
    obj = bpy.data.objects.new(name, cam)
    bpy.context.scene.collection.objects.link(obj)
    obj.location = location
    obj.rotation_euler = look_at(location, target)
    bpy.context.scene.camera = obj
    return obj


def sun_direction(elevation_deg, azimuth_deg):
    """Unit vector from the origin toward the sun; azimuth runs from +X toward +Y."""
    el, az = math.radians(elevation_deg), math.radians(azimuth_deg)
    return Vector((math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)))


def add_sun(name, elevation_deg, azimuth_deg, strength, color, angle_deg):
    light = bpy.data.lights.new(name, type="SUN")
    light.energy = strength
    light.color = color
    light.angle = math.radians(angle_deg)
    obj = bpy.data.objects.new(name, light)
    bpy.context.scene.collection.objects.link(obj)
    toward = sun_direction(elevation_deg, azimuth_deg)
    # A sun's position does not matter for shading; this one sits where it shines from.
    obj.location = toward * 10.0
    obj.rotation_euler = look_at(toward, (0.0, 0.0, 0.0))
    return obj


def set_world(name, color, strength):
    world = bpy.data.worlds.get(name) or bpy.data.worlds.new(name)
    world.use_nodes = True
    background = next(n for n in world.node_tree.nodes if n.type == "BACKGROUND")
    background.inputs["Color"].default_value = (color[0], color[1], color[2], 1.0)
    background.inputs["Strength"].default_value = strength
    bpy.context.scene.world = world
    return world


def set_exposure(exposure):
    view = bpy.context.scene.view_settings
    view.view_transform = "Standard"
    view.look = "None"
    view.exposure = exposure
`;

function section(fn: string, lines: string[]): string {
  return `def ${fn}(P):\n${(lines.length ? lines : ["pass"]).map((l) => `    ${l}\n`).join("")}\n`;
}

function sectionsOf(spec: SceneSpec): Record<Stage, string> {
  const objects: SceneObject[] = spec.objects;
  const p = (key: string) => `P["${key}"]`;
  const geometry = objects.map((o) => `primitive("${o.name}", "${o.shape}", ${p(`${o.name}.size`)})`);
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
    header: `# seig scene program v1 — generated from ${origin}\n${HELPERS}\n\n`,
    params: {
      ...specParams(spec),
      ...(opts.resolution ? { [RESOLUTION_KEY]: [opts.resolution.width, opts.resolution.height] } : {}),
    },
    sections: sectionsOf(spec),
    footer: "",
  };
  return withCanonicalFooter(assembleProgram(program));
}

const PRIMITIVE_CALL = /^\s*primitive\("([a-z][a-z0-9_]*)", "(\w+)", P\["\1\.size"\]\)\s*$/gm;
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
  const objects = [...program.sections.geometry.matchAll(PRIMITIVE_CALL)].map(([, name, shape]) => ({
    name,
    shape: Shape.safeParse(shape).data,
    size: P[`${name}.size`],
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
