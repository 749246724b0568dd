"""Static screen (a linter) for scene programs: clear, early messages for what a scene
program has no business doing.

It is not a security boundary — a Python screen can always be bypassed, and the OS
sandbox plus the post-build audit are what contain a program (docs/security.md). It is
an allow-list where that is practical: imports of bpy/bmesh/mathutils/math/random only
(`from` imports only from math/mathutils/random/bmesh, public names only), bpy.ops only
from a few operator groups, and no private or interpreter-internal attributes; plus a
list of Blender APIs that load files, run scripts or change preferences.
"""
import ast

ALLOWED_MODULES = {"bpy", "bmesh", "mathutils", "math", "random"}
FROM_IMPORT_MODULES = {"math", "mathutils", "random", "bmesh", "bmesh.ops", "bmesh.types", "mathutils.geometry",
                       "mathutils.noise"}
# bpy.ops groups a scene program may call (primitives, object and mesh edits, transforms).
ALLOWED_OPS = {"mesh", "object", "transform", "material", "curve"}
FORBIDDEN_CALLS = {
    "open", "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr",
    "delattr", "hasattr", "breakpoint", "input", "memoryview", "help", "exit", "quit",
}
# Attribute names that load files, run or register code, change preferences, or reach the
# interpreter's internals (frames, code objects) — each with the reason shown to the model.
FORBIDDEN_ATTRS = {
    "images": "loading images (a program must never read the target photo)",
    "movieclips": "loading movie clips", "sounds": "loading sounds", "fonts": "loading fonts",
    "volumes": "loading volumes", "cache_files": "loading cache files",
    "ShaderNodeTexImage": "image textures (a program must never read the target photo)",
    "ShaderNodeTexEnvironment": "environment images (a program must never read the target photo)",
    "CompositorNodeImage": "image nodes (a program must never read the target photo)",
    "texts": "text datablocks (they can hold scripts)", "handlers": "app handlers (they run code later)",
    "driver_namespace": "driver namespaces (they run code later)", "driver_add": "drivers (they can run code)",
    "drivers": "drivers (they can run code)", "libraries": "linking other .blend files",
    "path_resolve": "path_resolve (it reaches any data collection)", "load": "loading files",
    "utils": "bpy.utils (it runs files and registers code)", "path": "bpy.path",
    "preferences": "preferences", "units": "bpy.utils.units",
    "filepath": "file paths", "filepath_raw": "file paths", "pack": "packing files", "unpack": "unpacking files",
    "gi_frame": "interpreter frames", "cr_frame": "interpreter frames", "ag_frame": "interpreter frames",
    "tb_frame": "interpreter frames", "f_back": "interpreter frames", "f_globals": "interpreter frames",
    "f_locals": "interpreter frames", "f_builtins": "interpreter frames", "gi_code": "code objects",
    "f_code": "code objects", "co_code": "code objects", "mro": "class internals",
}


class ScreenRejection(Exception):
    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def screen(source):
    """Returns None when the program passes, else (message, line)."""
    try:
        tree = ast.parse(source, filename="program.py")
    except SyntaxError:
        return None  # the compiler reports syntax errors with their own line
    try:
        for node in ast.walk(tree):
            _check(node)
    except ScreenRejection as rejection:
        return str(rejection), rejection.line
    return None


def _reject(node, what):
    raise ScreenRejection(f"line {node.lineno}: {what} is not allowed in a scene program", node.lineno)


def _check(node):
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name not in ALLOWED_MODULES:
                _reject(node, f"import {alias.name}")
    elif isinstance(node, ast.ImportFrom):
        _check_from_import(node)
    elif isinstance(node, ast.Name):
        # Any read counts, not just calls: `f = open; f(...)` and `map(getattr, …)` must not slip through.
        if isinstance(node.ctx, ast.Load) and (node.id in FORBIDDEN_CALLS or node.id.startswith("__")):
            _reject(node, node.id)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node)
    elif isinstance(node, ast.MatchClass):
        for name in node.kwd_attrs:  # `case object(_os=m)` reads an attribute too
            _check_attribute_name(node, name)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith("__") and node.value.endswith("__"):
            _reject(node, f"the dunder name string {node.value!r}")


def _check_from_import(node):
    module = node.module or ""
    if node.level or module not in FROM_IMPORT_MODULES:
        _reject(node, f"from {'.' * node.level}{module} import")
    for alias in node.names:
        if alias.name == "*" or alias.name.startswith("_"):
            _reject(node, f"from {module} import {alias.name}")


def _check_attribute(node):
    # Innermost first, so `bpy.data.images.load` is named for what it is (an image load).
    for attr in _chain_attrs(node):
        _check_attribute_name(node, attr)
    if isinstance(node.value, ast.Attribute) and _dotted(node.value) == "bpy.ops" and node.attr not in ALLOWED_OPS:
        _reject(node, f"bpy.ops.{node.attr} (allowed operator groups: {', '.join(sorted(ALLOWED_OPS))})")


def _check_attribute_name(node, attr):
    if attr.startswith("_"):
        _reject(node, f"access to the private attribute .{attr}")
    if attr in FORBIDDEN_ATTRS:
        _reject(node, FORBIDDEN_ATTRS[attr])


def _chain_attrs(node):
    """Attribute names of a chain like a.b.c, innermost first: ["b", "c"]."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return list(reversed(names))


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))
