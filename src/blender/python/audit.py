"""Post-build audit: what a built scene may hold.

A scene program builds geometry, materials, lights, a camera and a world from code. Data
loaded from files has no place in it: an image, movie clip or sound could be the target
photo wired into a texture or the compositor (a "reconstruction" that copies pixels), and
texts, libraries, Python drivers, handlers or changed preferences and add-ons run or pull
in code. The OS sandbox is what keeps files out of reach; this check keeps such a scene
from ever being scored, whichever API path produced it.
"""
import bpy

RENDER_IMAGE_TYPES = {"RENDER_RESULT", "COMPOSITING"}
BUILTIN_FONT = "<builtin>"
ANIMATABLE = ("objects", "meshes", "materials", "lights", "cameras", "worlds", "scenes", "node_groups",
              "curves", "shape_keys", "textures")


def baseline():
    """What the zygote starts with, for comparing after a build."""
    prefs = bpy.context.preferences
    return {
        "addons": sorted(prefs.addons.keys()),
        "autoexec": prefs.filepaths.use_scripts_auto_execute,
        "handlers": _handler_counts(),
    }


def _handler_counts():
    return {name: len(getattr(bpy.app.handlers, name)) for name in dir(bpy.app.handlers)
            if isinstance(getattr(bpy.app.handlers, name), list)}


def _loaded_data():
    images = [i.name for i in bpy.data.images if i.type not in RENDER_IMAGE_TYPES]
    fonts = [f.name for f in bpy.data.fonts if f.filepath != BUILTIN_FONT]
    found = {
        "image": images, "movie clip": [c.name for c in bpy.data.movieclips],
        "sound": [s.name for s in bpy.data.sounds], "font": fonts, "text": [t.name for t in bpy.data.texts],
        "library": [lib.name for lib in bpy.data.libraries], "volume": [v.name for v in bpy.data.volumes],
        "cache file": [c.name for c in bpy.data.cache_files],
    }
    return [f"{kind} {names[0]!r}" for kind, names in found.items() if names]


def _python_drivers():
    for collection in ANIMATABLE:
        for block in getattr(bpy.data, collection):
            for owner in (block, getattr(block, "node_tree", None)):
                anim = getattr(owner, "animation_data", None) if owner is not None else None
                for fcurve in (anim.drivers if anim else ()):
                    driver = fcurve.driver
                    if driver.type == "SCRIPTED" and not driver.is_simple_expression:
                        yield f"{block.name}: {driver.expression}"


def audit(before):
    """None when the scene is clean, else a one-line reason."""
    loaded = _loaded_data()
    if loaded:
        return f"the scene holds data loaded from files ({', '.join(loaded)}); scene programs build everything from code"
    driver = next(_python_drivers(), None)
    if driver:
        return f"the scene has a Python driver ({driver}); only simple expressions are allowed"
    now = baseline()
    if now["addons"] != before["addons"]:
        return "the program changed the enabled add-ons"
    if now["autoexec"] != before["autoexec"]:
        return "the program changed the auto-run-scripts preference"
    if now["handlers"] != before["handlers"]:
        return "the program registered application handlers"
    return None
