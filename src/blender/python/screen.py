"""Static screen for untrusted scene programs.

A generated program may only build a scene with bpy/bmesh/mathutils/math/random. This
rejects, before anything runs, what could reach outside Blender (other imports, file and
process access, dynamic code) or read the target photo's pixels (image loading). It is a
first line only: the OS sandbox (bubblewrap) is what actually contains a program.
"""
import ast

ALLOWED_MODULES = {"bpy", "bmesh", "mathutils", "math", "random"}
FORBIDDEN_CALLS = {
    "open", "eval", "exec", "compile", "__import__", "globals", "locals", "vars",
    "breakpoint", "input", "memoryview", "help", "exit", "quit",
}
DYNAMIC_ATTR_CALLS = {"getattr", "setattr", "delattr", "hasattr"}
# Attribute chains that load or save files, run scripts, or reach the photo's pixels.
FORBIDDEN_ATTRS = {
    "images": "loading images (a program must never read the target photo)",
    "ShaderNodeTexImage": "image textures (a program must never read the target photo)",
    "ShaderNodeTexEnvironment": "environment images (a program must never read the target photo)",
    "CompositorNodeImage": "image nodes (a program must never read the target photo)",
    "texts": "text datablocks (they can hold scripts)",
    "handlers": "app handlers (they run code later)",
    "driver_namespace": "driver namespaces (they run code later)",
    "libraries": "linking other .blend files",
    "wm": "window-manager operators (file loading and saving)",
    "script": "script operators",
    "file": "file operators",
    "image": "image operators",
    "import_scene": "importers",
    "export_scene": "exporters",
    "filepath": "file paths",
    "filepath_raw": "file paths",
    "render": None,  # checked below: bpy.ops.render.* is reserved to the runtime
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
            if alias.name.split(".")[0] not in ALLOWED_MODULES:
                _reject(node, f"import {alias.name}")
    elif isinstance(node, ast.ImportFrom):
        if node.level or (node.module or "").split(".")[0] not in ALLOWED_MODULES:
            _reject(node, f"from {node.module} import")
    elif isinstance(node, ast.Name):
        # Any read counts, not just calls: `f = open; f(...)` must not slip through.
        if isinstance(node.ctx, ast.Load) and (node.id in FORBIDDEN_CALLS or node.id.startswith("__")):
            _reject(node, node.id)
    elif isinstance(node, ast.Call):
        _check_call(node)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith("__") and node.value.endswith("__"):
            _reject(node, f"the dunder name string {node.value!r}")


def _check_call(node):
    if isinstance(node.func, ast.Name) and node.func.id in DYNAMIC_ATTR_CALLS:
        if len(node.args) < 2 or not isinstance(node.args[1], ast.Constant):
            _reject(node, f"{node.func.id} with a computed attribute name")
        name = node.args[1].value
        if not isinstance(name, str) or name.startswith("_") or name in FORBIDDEN_ATTRS:
            _reject(node, f"{node.func.id}(…, {name!r})")


def _check_attribute(node):
    attr = node.attr
    if attr.startswith("_"):
        _reject(node, f"access to the private attribute .{attr}")
    if attr == "render" and _dotted(node.value) == "bpy.ops":
        _reject(node, "bpy.ops.render (rendering is the runtime's job)")
        return
    if attr in FORBIDDEN_ATTRS and FORBIDDEN_ATTRS[attr]:
        _reject(node, FORBIDDEN_ATTRS[attr])


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))
