"""Object-index mask of the built scene, from its own camera: every pixel holds the id of the
geometry object frontmost there (0: nothing), id = red + 256 · green. The reply's legend
names each id; Node (blender/mask.ts) decides which objects count.

Why Cycles with one emission shader instead of an ID pass: the pass needs the compositor or
a multilayer EXR to come out, while a flat emission of the object's colour through the Raw
view is written exactly to an 8-bit PNG (k/255 becomes code k). One sample through a
0.01-pixel box filter hits each pixel's centre, so labels never blend at edges and the same
scene always gives the same mask. Runs last in the job: it changes materials, world, lights
and camera settings, and the child process is thrown away afterwards."""
import bpy

import views

MASK_NAME = "mask.png"
GEOMETRY_TYPES = {"MESH", "CURVE", "SURFACE", "META", "FONT"}
MAX_ID = 65535


def _id_colour(index):
    return ((index % 256) / 255.0, (index // 256) / 255.0, 0.0, 1.0)


def _label_objects():
    """Ids by name order (bpy.data, so objects only instanced into the scene are named too)."""
    objects = sorted((o for o in bpy.data.objects if o.type in GEOMETRY_TYPES), key=lambda o: o.name)
    if len(objects) > MAX_ID:
        raise RuntimeError(f"{len(objects)} objects are more than a mask can label ({MAX_ID})")
    legend = []
    for index, obj in enumerate(objects, start=1):
        obj.color = _id_colour(index)
        # A shadow catcher would show the background; a mask wants the surface.
        obj.is_shadow_catcher = False
        legend.append({"id": index, "name": obj.name})
    return legend


def _id_material():
    material = bpy.data.materials.new("seig_mask")
    material.use_nodes = True
    tree = material.node_tree
    tree.nodes.clear()
    info = tree.nodes.new("ShaderNodeObjectInfo")
    emission = tree.nodes.new("ShaderNodeEmission")
    output = tree.nodes.new("ShaderNodeOutputMaterial")
    emission.inputs["Strength"].default_value = 1.0
    tree.links.new(info.outputs["Color"], emission.inputs["Color"])
    tree.links.new(emission.outputs["Emission"], output.inputs["Surface"])
    return material


def _black_world():
    world = bpy.data.worlds.new("seig_mask_world")
    world.use_nodes = True
    background = next(n for n in world.node_tree.nodes if n.type == "BACKGROUND")
    background.inputs["Color"].default_value = (0.0, 0.0, 0.0, 1.0)
    background.inputs["Strength"].default_value = 0.0
    return world


def _exact_output(scene, width, height, threads):
    """Settings under which a pixel is exactly the emission of the one surface its ray hits."""
    active = bpy.context.view_layer
    for layer in scene.view_layers:
        layer.use = layer == active
        layer.samples = 0
    active.use_solid = active.use_strand = True
    render = scene.render
    render.engine = "CYCLES"
    render.resolution_x, render.resolution_y, render.resolution_percentage = int(width), int(height), 100
    render.use_border = render.use_motion_blur = render.use_multiview = False
    render.use_compositing = render.use_sequencer = render.use_persistent_data = False
    render.film_transparent = False
    render.dither_intensity = 0.0
    render.threads_mode = "FIXED" if threads > 0 else "AUTO"
    if threads > 0:
        render.threads = int(threads)
    image = render.image_settings
    image.file_format, image.color_mode, image.color_depth = "PNG", "RGB", "8"
    image.color_management = "FOLLOW_SCENE"
    cycles = scene.cycles
    cycles.device = "CPU"
    cycles.samples, cycles.seed, cycles.use_animated_seed = 1, 0, False
    cycles.use_adaptive_sampling = cycles.use_denoising = False
    cycles.pixel_filter_type, cycles.filter_width = "BOX", 0.01
    cycles.max_bounces = 0
    cycles.film_exposure = 1.0
    cycles.time_limit = 0
    view = scene.view_settings
    scene.display_settings.display_device = "sRGB"
    view.view_transform, view.look = "Raw", "None"
    view.exposure, view.gamma, view.use_curve_mapping = 0.0, 1.0, False


def render_mask(scene, settings, path):
    """Renders the mask to `path`; returns the legend [{id, name}]."""
    legend = _label_objects()
    bpy.context.view_layer.material_override = _id_material()
    scene.world = _black_world()
    for obj in scene.objects:
        if obj.type == "LIGHT":
            obj.hide_render = True
    _exact_output(scene, settings["width"], settings["height"], settings.get("threads", 0))
    with views.camera_for(scene, None) as camera:
        if camera.type == "CAMERA":
            # Defocus would scatter one sample's ray over the lens: the silhouette is the pinhole one.
            camera.data.dof.use_dof = False
        scene.render.filepath = path
        bpy.ops.render.render(write_still=True)
    return legend
