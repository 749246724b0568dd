# seig scene program v1 — generated from examples/tabletop/scene.json
import bpy, bmesh, math
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
    """A mesh object centred at the origin whose mesh data has the full extents `size`."""
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


def look_at(location, target):
    """Rotation that points an object's -Z axis from `location` at `target`, +Y up."""
    return (Vector(target) - Vector(location)).to_track_quat("-Z", "Y").to_euler()


def place(name, location, rotation_deg):
    obj = bpy.data.objects[name]
    obj.location = location
    obj.rotation_euler = [math.radians(a) for a in rotation_deg]


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
    # A sun's position does not matter for shading; this one sits where it shines from,
    # its -Z axis pointing at the origin.
    obj.location = toward * 10.0
    obj.rotation_euler = (Vector((0.0, 0.0, 0.0)) - Vector(toward)).to_track_quat("-Z", "Y").to_euler()
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


PARAMS = {
  "red_box.size": [0.8, 0.8, 0.8],
  "steel_ball.size": [0.7, 0.7, 0.7],
  "green_can.size": [0.5, 0.5, 1.1],
  "yellow_cone.size": [0.6, 0.6, 0.9],
  "ground.size": 30,
  "red_box.color": [0.8, 0.05, 0.04],
  "red_box.roughness": 0.6,
  "red_box.metallic": 0,
  "steel_ball.color": [0.75, 0.75, 0.78],
  "steel_ball.roughness": 0.2,
  "steel_ball.metallic": 1,
  "green_can.color": [0.1, 0.5, 0.12],
  "green_can.roughness": 0.4,
  "green_can.metallic": 0,
  "yellow_cone.color": [0.9, 0.7, 0.05],
  "yellow_cone.roughness": 0.5,
  "yellow_cone.metallic": 0,
  "ground.color": [0.6, 0.55, 0.48],
  "ground.roughness": 0.9,
  "red_box.location": [-0.9, 0.3, 0.4],
  "red_box.rotation_deg": [0, 0, 20],
  "steel_ball.location": [0.5, -0.6, 0.35],
  "steel_ball.rotation_deg": [0, 0, 0],
  "green_can.location": [0.7, 0.8, 0.55],
  "green_can.rotation_deg": [0, 0, 0],
  "yellow_cone.location": [-0.2, -1.3, 0.45],
  "yellow_cone.rotation_deg": [0, 0, 0],
  "camera.location": [5.5, -5, 3.6],
  "camera.look_at": [0, 0, 0.4],
  "camera.lens_mm": 40,
  "camera.sensor_mm": 36,
  "sun.elevation_deg": 45,
  "sun.azimuth_deg": 210,
  "sun.strength": 3,
  "sun.color": [1, 1, 1],
  "sun.angle_deg": 8,
  "world.color": [0.55, 0.65, 0.8],
  "world.strength": 0.6,
  "render.exposure": 0,
  "render.resolution": [320, 240]
}
# --- seig:geometry ---
def build_geometry(P):
    primitive("red_box", "cube", P["red_box.size"])
    primitive("steel_ball", "sphere", P["steel_ball.size"])
    primitive("green_can", "cylinder", P["green_can.size"])
    primitive("yellow_cone", "cone", P["yellow_cone.size"])
    ground_plane("ground", P["ground.size"])

# --- seig:material ---
def build_materials(P):
    assign("red_box", principled("red_box_mat", P["red_box.color"], P["red_box.roughness"], P["red_box.metallic"]))
    assign("steel_ball", principled("steel_ball_mat", P["steel_ball.color"], P["steel_ball.roughness"], P["steel_ball.metallic"]))
    assign("green_can", principled("green_can_mat", P["green_can.color"], P["green_can.roughness"], P["green_can.metallic"]))
    assign("yellow_cone", principled("yellow_cone_mat", P["yellow_cone.color"], P["yellow_cone.roughness"], P["yellow_cone.metallic"]))
    assign("ground", principled("ground_mat", P["ground.color"], P["ground.roughness"]))

# --- seig:composition ---
def compose(P):
    place("red_box", P["red_box.location"], P["red_box.rotation_deg"])
    place("steel_ball", P["steel_ball.location"], P["steel_ball.rotation_deg"])
    place("green_can", P["green_can.location"], P["green_can.rotation_deg"])
    place("yellow_cone", P["yellow_cone.location"], P["yellow_cone.rotation_deg"])
    add_camera("camera", P["camera.location"], P["camera.look_at"], P["camera.lens_mm"], P["camera.sensor_mm"])

# --- seig:lighting ---
def build_lighting(P):
    add_sun("sun", P["sun.elevation_deg"], P["sun.azimuth_deg"], P["sun.strength"], P["sun.color"], P["sun.angle_deg"])
    set_world("world", P["world.color"], P["world.strength"])
    set_exposure(P["render.exposure"])

# --- seig:end ---
# Canonical footer, appended by seig (do not edit): it makes the program runnable with
#   blender -b -P program.py -- --render out.png [--res W H] [--samples N] [--seed S]
# and renders with exactly the settings seig's worker pool uses, so pixels match.
# Without --res it renders at PARAMS["render.resolution"], the photo's size.


def seig_clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for blocks in (bpy.data.meshes, bpy.data.materials, bpy.data.lights, bpy.data.cameras, bpy.data.curves):
        for block in list(blocks):
            blocks.remove(block)


def seig_scene_defaults(scene):
    # Blender's factory colour management and light paths, set before the sections run: a
    # program that does not set them renders the same in the pool (factory settings) and in a
    # user's Blender whose startup file changed them. Sections may still set their own.
    view = scene.view_settings
    view.view_transform = "Filmic"
    view.look = "None"
    view.exposure = 0.0
    view.gamma = 1.0
    view.use_curve_mapping = False
    scene.display_settings.display_device = "sRGB"
    scene.sequencer_colorspace_settings.name = "sRGB"
    cycles = scene.cycles
    cycles.max_bounces, cycles.diffuse_bounces, cycles.glossy_bounces = 12, 4, 4
    cycles.transmission_bounces, cycles.volume_bounces, cycles.transparent_max_bounces = 12, 0, 8
    cycles.caustics_reflective = cycles.caustics_refractive = True
    cycles.blur_glossy = 1.0
    cycles.sample_clamp_direct, cycles.sample_clamp_indirect = 0.0, 10.0
    cycles.light_sampling_threshold = 0.01
    cycles.pixel_filter_type, cycles.filter_width = "BLACKMAN_HARRIS", 1.5
    cycles.film_exposure = 1.0


def seig_reset_render_costs(scene):
    # Every setting a program could raise to make one render cost minutes goes back to
    # Blender's defaults (or off): extra view layers and their sample overrides, motion blur,
    # stereo, the compositor and the sequencer (which could also show a loaded image).
    active = bpy.context.view_layer
    for layer in scene.view_layers:
        layer.use = layer == active
        layer.samples = 0
    scene.render.use_motion_blur = False
    scene.render.use_multiview = False
    scene.render.use_compositing = False
    scene.render.use_sequencer = False
    scene.render.use_border = False
    scene.render.use_persistent_data = False
    cycles = scene.cycles
    cycles.time_limit = 0
    cycles.max_bounces = min(cycles.max_bounces, 12)
    cycles.diffuse_bounces = min(cycles.diffuse_bounces, 4)
    cycles.glossy_bounces = min(cycles.glossy_bounces, 4)
    cycles.transmission_bounces = min(cycles.transmission_bounces, 12)
    cycles.volume_bounces = min(cycles.volume_bounces, 0)
    cycles.transparent_max_bounces = min(cycles.transparent_max_bounces, 8)
    cycles.volume_max_steps = min(cycles.volume_max_steps, 1024)
    cycles.volume_step_rate = max(cycles.volume_step_rate, 1.0)


def seig_render_settings(width, height, samples=16, seed=0, engine="CYCLES", threads=0):
    scene = bpy.context.scene
    seig_reset_render_costs(scene)
    scene.render.engine = engine
    scene.render.resolution_x = int(width)
    scene.render.resolution_y = int(height)
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = False
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.color_depth = "8"
    scene.render.threads_mode = "FIXED" if threads > 0 else "AUTO"
    if threads > 0:
        scene.render.threads = int(threads)
    if engine == "CYCLES":
        scene.cycles.device = "CPU"
        scene.cycles.samples = int(samples)
        scene.cycles.seed = int(seed)
        scene.cycles.use_animated_seed = False
        scene.cycles.use_adaptive_sampling = False
        scene.cycles.use_denoising = False
    elif engine == "BLENDER_EEVEE":
        scene.eevee.taa_render_samples = int(samples)


def seig_resolution(P, fallback=None):
    """(width, height) from P["render.resolution"]: the photo's frame, which sets the camera's field of view."""
    value = P.get("render.resolution")
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]), int(value[1])
    return fallback


def build(P=None):
    import random

    from mathutils import noise

    merged = dict(PARAMS)
    merged.update(P or {})
    seig_clear_scene()
    seig_scene_defaults(bpy.context.scene)
    # A program that draws random numbers renders the same every time, in the pool and alone.
    random.seed(0)
    noise.seed_set(0)
    build_geometry(merged)
    build_materials(merged)
    compose(merged)
    build_lighting(merged)
    resolution = seig_resolution(merged)
    if resolution:
        # Opened in Blender or saved as .blend or glTF, the scene then has the photo's frame
        # (the glTF camera's aspect and vertical field of view come from it) and seig's settings.
        seig_render_settings(*resolution)
    return merged


def seig_main():
    import sys

    args = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    build()
    if "--render" not in args:
        return
    out = args[args.index("--render") + 1]
    if "--res" in args:
        width, height = (int(v) for v in args[args.index("--res") + 1 : args.index("--res") + 3])
    else:
        width, height = seig_resolution(PARAMS, fallback=(512, 384))
    samples = int(args[args.index("--samples") + 1]) if "--samples" in args else 16
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 0
    seig_render_settings(width, height, samples, seed)
    bpy.context.scene.render.filepath = out
    bpy.ops.render.render(write_still=True)


if __name__ == "__main__":
    seig_main()
