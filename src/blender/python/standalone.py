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
