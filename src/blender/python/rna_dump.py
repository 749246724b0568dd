# seig trusted job: the running Blender's Python API surface (RNA), for the static pre-flight of
# generated programs. Sent by src/blender/rna-dump.ts as a program body; it only reads Blender's
# own type information and writes one JSON file into its job folder, which the pool hands back.
import json
import os

import bmesh
import bpy
import mathutils

PARAMS = {}
OUT_PATH = os.path.join(os.environ["SEIG_JOB_DIR"], "blender-api.json")


def _operators():
    ops = {}
    for module_name in dir(bpy.ops):
        module = getattr(bpy.ops, module_name)
        for name in dir(module):
            try:
                rna = getattr(module, name).get_rna_type()
            except Exception:  # noqa: BLE001 - some entries are not operators
                continue
            ops[f"{module_name}.{name}"] = [p.identifier for p in rna.properties if p.identifier != "rna_type"]
    return ops


def _shader_nodes():
    material = bpy.data.materials.new("seig_rna_probe")
    material.use_nodes = True
    tree = material.node_tree
    nodes = {}
    for name in dir(bpy.types):
        cls = getattr(bpy.types, name)
        if not (isinstance(cls, type) and issubclass(cls, bpy.types.ShaderNode)) or cls is bpy.types.ShaderNode:
            continue
        try:
            node = tree.nodes.new(name)
        except Exception:  # noqa: BLE001 - abstract or context-bound node types
            continue
        nodes[name] = {"inputs": [s.name for s in node.inputs], "outputs": [s.name for s in node.outputs]}
        tree.nodes.remove(node)
    bpy.data.materials.remove(material)
    return nodes


def _properties():
    props, enums, plain = set(), {}, set()
    for name in dir(bpy.types):
        rna = getattr(getattr(bpy.types, name), "bl_rna", None)
        if rna is None:
            continue
        props.update(f.identifier for f in rna.functions)
        for p in rna.properties:
            props.add(p.identifier)
            if p.type == "ENUM" and not p.is_enum_flag:
                enums.setdefault(p.identifier, set()).update(i.identifier for i in p.enum_items)
            else:
                plain.add(p.identifier)
    python_side = set()
    for cls in (mathutils.Vector, mathutils.Euler, mathutils.Matrix, mathutils.Quaternion, mathutils.Color,
                bmesh.types.BMesh, bmesh.types.BMVert, bmesh.types.BMEdge, bmesh.types.BMFace, bmesh.types.BMLoop):
        python_side.update(a for a in dir(cls) if not a.startswith("_"))
    # An enum name that is also a plain property somewhere cannot be checked by name alone.
    # Dynamic enums (view_transform, look, ...) list no real items on the type: not checkable.
    checkable = {k: sorted(v) for k, v in enums.items() if k not in plain and len(v) > 1}
    return sorted(props | python_side), checkable


def build_geometry(P):
    props, enums = _properties()
    api = {
        "version": bpy.app.version_string,
        "types": sorted(n for n in dir(bpy.types) if not n.startswith("_")),
        "operators": _operators(),
        "shaderNodes": _shader_nodes(),
        "properties": props,
        "enums": enums,
    }
    with open(OUT_PATH, "w", encoding="utf-8") as out:
        json.dump(api, out)


def build_materials(P):
    pass


def compose(P):
    pass


def build_lighting(P):
    pass
