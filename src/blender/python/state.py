"""What a batch's fast path must prove before it reuses a child for the next PARAMS set.

The full path runs each candidate in a fresh child: the program's module-level code has just
run and build() starts from that state (S0). The fast path runs build() again in the same
child, so it may do so only when the state build() starts from equals S0 in everything
build() can see. capture() takes that state's picture:

- the program's globals: names, simple values, and for containers and functions their ids
  and a digest of their contents / defaults (a module-level counter or cache changes it);
- the allowed modules' namespaces (a program may assign to math.x, which would persist);
- every bpy.data collection's names (seig_clear_scene removes only objects, meshes,
  materials, lights, cameras and curves; a world or node group would stay behind);
- the scene's own settings (render, image, Cycles, colour management, view layers), which
  build() and the render change.

reset() undoes what build() legitimately leaves behind: datablocks created since S0 are
removed (set_world's get-or-new then creates the world afresh, as in a fresh child) and the
scene's settings are set back to S0's values. Whatever reset() cannot put back shows up as a
difference in the next capture(), and the batch stops using the fast path.
"""
import math
import random
import types

import bmesh
import bpy
import mathutils

SIMPLE = (int, float, str, bool, bytes, type(None))
MAX_DEPTH = 4
MAX_ITEMS = 10000
# Collections build() itself clears; their leftovers are removed by the next build() anyway.
CLEARED = {"objects", "meshes", "materials", "lights", "cameras", "curves"}
# Collections whose new members reset() may remove (data a scene program can create).
REMOVABLE = ("worlds", "node_groups", "textures", "collections", "actions", "particles", "lattices",
             "metaballs", "grease_pencils", "shape_keys", "lightprobes", "speakers", "hair_curves",
             "pointclouds", "palettes", "brushes", "linestyles", "masks", "paint_curves")
RENDER_IMAGES = {"RENDER_RESULT", "COMPOSITING"}
SETTING_TYPES = {"BOOLEAN", "INT", "FLOAT", "STRING", "ENUM"}


def _digest(value, depth=0, seen=None):
    """A stable, comparable picture of a value: contents for plain data, identity otherwise."""
    # type(), not isinstance(): the latter reads __class__, which a removed datablock refuses.
    kind = type(value)
    if issubclass(kind, SIMPLE):
        return (kind.__name__, value if not issubclass(kind, float) or value == value else "nan")
    if depth >= MAX_DEPTH:
        return ("deep", id(value))
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return ("cycle", id(value))
    seen = seen | {id(value)}
    if issubclass(kind, (list, tuple)):
        return (kind.__name__, id(value), tuple(_digest(v, depth + 1, seen) for v in value[:MAX_ITEMS]),
                len(value))
    if issubclass(kind, dict):
        items = list(value.items())[:MAX_ITEMS]
        return ("dict", id(value), tuple((_digest(k, depth + 1, seen), _digest(v, depth + 1, seen))
                                         for k, v in items), len(value))
    if issubclass(kind, (set, frozenset)):
        return (kind.__name__, id(value), tuple(sorted(repr(_digest(v, depth + 1, seen)) for v in value)))
    if issubclass(kind, types.FunctionType):
        # A function: its identity, and its defaults (a mutable default argument is state).
        return ("function", id(value), _digest(value.__defaults__, depth + 1, seen),
                _digest(value.__kwdefaults__, depth + 1, seen))
    # mathutils values: their contents; other objects (a bpy datablock, perhaps one a reset
    # removed) only by identity, touching none of their attributes.
    if issubclass(kind, (mathutils.Vector, mathutils.Color, mathutils.Euler, mathutils.Quaternion)):
        return (kind.__name__, id(value), tuple(value))
    return (kind.__name__, id(value))


def _namespace(names):
    return tuple(sorted((k, _digest(v)) for k, v in names.items() if k != "__builtins__"))


def _modules():
    # Identity of each public attribute: assigning math.pi = 3 (or replacing a function) shows.
    return tuple((m.__name__, tuple(sorted((k, id(v)) for k, v in vars(m).items() if not k.startswith("__"))))
                 for m in (math, random, mathutils, bmesh, bpy))


def _collections():
    found = []
    for prop in bpy.data.bl_rna.properties:
        if prop.type != "COLLECTION" or prop.identifier in CLEARED:
            continue
        blocks = getattr(bpy.data, prop.identifier)
        if prop.identifier == "images":
            names = sorted(i.name for i in blocks if i.type not in RENDER_IMAGES)
        else:
            names = sorted(b.name for b in blocks)
        found.append((prop.identifier, tuple(names)))
    return tuple(found)


def _settings_structs(scene):
    render = scene.render
    return {"scene": scene, "render": render, "image": render.image_settings, "cycles": scene.cycles,
            "view": scene.view_settings, "display": scene.display_settings, "eevee": scene.eevee,
            "sequencer_colorspace": scene.sequencer_colorspace_settings}


def _struct_values(struct):
    values = {}
    for prop in struct.bl_rna.properties:
        if prop.is_readonly or prop.type not in SETTING_TYPES or prop.identifier == "rna_type":
            continue
        value = getattr(struct, prop.identifier)
        values[prop.identifier] = tuple(value) if getattr(prop, "is_array", False) or isinstance(value, set) \
            else value
    return values


def _scene_settings():
    scene = bpy.context.scene
    settings = {name: _struct_values(s) for name, s in _settings_structs(scene).items()}
    # scene.camera is left out: it names an object, and build() removes every object first.
    settings["world"] = scene.world and scene.world.name
    settings["view_layers"] = tuple((v.name, v.use, v.samples) for v in scene.view_layers)
    settings["scenes"] = (scene.name, len(bpy.data.scenes))
    return settings


def capture(namespace):
    """The state build() starts from, as far as build() can see it."""
    return {"globals": _namespace(namespace), "modules": _modules(), "data": _collections(),
            "settings": _scene_settings()}


def reset(start):
    """Removes datablocks created since `start` and puts the scene's settings back."""
    before = dict(start["data"])
    for name in REMOVABLE:
        blocks = getattr(bpy.data, name, None)
        if blocks is None:
            continue
        keep = set(before.get(name, ()))
        for block in [b for b in blocks if b.name not in keep]:
            blocks.remove(block)
    scene = bpy.context.scene
    for name, struct in _settings_structs(scene).items():
        for key, value in start["settings"][name].items():
            if getattr(struct, key) == value or (isinstance(value, tuple) and tuple(getattr(struct, key)) == value):
                continue
            try:
                setattr(struct, key, set(value) if isinstance(getattr(struct, key), set) else value)
            except (AttributeError, TypeError, ValueError):
                pass  # not settable: the next capture() shows the difference and the fast path ends


def differences(start, now):
    """Names of the parts of the state that differ (empty when the fast path may go on)."""
    return [key for key in start if start[key] != now[key]]
