"""Per-factor fingerprints and scene stats of the built scene.

Each factor maps a stable key (object, material slot, light, world) to a short hash that
changes exactly when that factor of that thing changes, so the TypeScript side can tell
which factors a candidate program touched. Floats are rounded so harmless numeric noise
does not count as a change.
"""
import hashlib

import bpy
import numpy as np

GEOMETRY_TYPES = {"MESH", "CURVE", "SURFACE", "META", "FONT"}
DECIMALS = 4


def _hash(*parts):
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def _round(values):
    return tuple(round(float(v), DECIMALS) for v in values)


def _matrix(matrix):
    return tuple(_round(row) for row in matrix)


def _mesh_hash(obj, depsgraph):
    """Vertex positions (as a set: some bmesh operators order elements differently from run
    to run) plus element counts; any real change of shape or size moves a vertex."""
    evaluated = obj.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    try:
        coords = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", coords)
        coords = np.round(coords, DECIMALS).reshape(-1, 3) + 0.0  # + 0.0 folds -0.0 into 0.0
        coords = coords[np.lexsort(coords.T[::-1])]
        size = tuple(np.ptp(coords, axis=0).round(DECIMALS)) if len(coords) else (0, 0, 0)
        counts = np.array([len(mesh.vertices), len(mesh.edges), len(mesh.polygons), len(mesh.loops)])
        digest = hashlib.sha1(coords.tobytes() + counts.tobytes()).hexdigest()[:16]
        return f"{digest}:{size[0]}x{size[1]}x{size[2]}"
    finally:
        evaluated.to_mesh_clear()


def _socket_value(socket):
    value = getattr(socket, "default_value", None)
    if value is None:
        return None
    try:
        return _round(value)
    except TypeError:
        return round(value, DECIMALS) if isinstance(value, float) else value


NODE_BASE_PROPS = {p.identifier for p in bpy.types.Node.bl_rna.properties}


def _node_tree_hash(tree):
    if tree is None:
        return "none"
    nodes = []
    for node in sorted(tree.nodes, key=lambda n: n.name):
        props = tuple(
            (p.identifier, repr(getattr(node, p.identifier)))
            for p in node.bl_rna.properties
            if p.identifier not in NODE_BASE_PROPS and p.type in {"ENUM", "FLOAT", "INT", "BOOLEAN", "STRING"}
        )
        inputs = tuple((s.identifier, _socket_value(s)) for s in node.inputs)
        nodes.append((node.bl_idname, node.name, props, inputs))
    links = sorted(
        (l.from_node.name, l.from_socket.identifier, l.to_node.name, l.to_socket.identifier) for l in tree.links
    )
    return _hash(nodes, links)


def _material_hash(mat):
    if mat is None:
        return "none"
    tree = _node_tree_hash(mat.node_tree) if mat.use_nodes else "no-nodes"
    return _hash(mat.name, _round(mat.diffuse_color), mat.blend_method, tree)


def _light_hash(obj):
    light = obj.data
    fields = [light.type, round(light.energy, DECIMALS), _round(light.color), _matrix(obj.matrix_world)]
    for attr in ("shadow_soft_size", "angle", "spot_size", "spot_blend", "size", "size_y", "shape"):
        if hasattr(light, attr):
            value = getattr(light, attr)
            fields.append((attr, round(value, DECIMALS) if isinstance(value, float) else value))
    fields.append(_node_tree_hash(light.node_tree) if light.use_nodes else "no-nodes")
    return _hash(*fields)


def _camera_hash(obj):
    cam = obj.data
    return _hash(
        _matrix(obj.matrix_world), cam.type, round(cam.lens, DECIMALS), round(cam.sensor_width, DECIMALS),
        cam.sensor_fit, round(cam.shift_x, DECIMALS), round(cam.shift_y, DECIMALS), round(cam.ortho_scale, DECIMALS),
    )


def _transform(obj, parent):
    """Rotation and parent hashed, then location and scale readable ("hash|x,y,z|sx,sy,sz"): the
    scope check allows a geometry change to move an object's resting height or set its scale."""
    loc, rot, scale = obj.matrix_world.decompose()
    text = lambda v: ",".join(repr(c + 0.0) for c in _round(v))  # noqa: E731
    return f"{_hash(_round(rot), parent)}|{text(loc)}|{text(scale)}"


SECTIONS = (("geometry", "build_geometry"), ("material", "build_materials"),
            ("composition", "compose"), ("lighting", "build_lighting"))


def watch_sections(namespace, reply):
    """Fingerprints the scene after each section function runs (reply["sections"]), so the scope
    check sees what each section's own code wrote, even what a later section overwrites."""
    reply["sections"] = {}
    for stage, name in SECTIONS:
        function = namespace.get(name)
        if not callable(function):
            continue

        def watched(P, _function=function, _stage=stage):
            result = _function(P)
            reply["sections"][_stage] = fingerprint(bpy.context.scene)
            return result

        namespace[name] = watched


def fingerprint(scene):
    depsgraph = bpy.context.evaluated_depsgraph_get()
    result = {"geometry": {}, "material": {}, "composition": {}, "lighting": {}}
    for obj in scene.objects:
        if obj.type == "LIGHT":
            result["lighting"][obj.name] = _light_hash(obj)
            continue
        if obj.type == "CAMERA":
            result["composition"][obj.name] = _camera_hash(obj)
            continue
        parent = obj.parent.name if obj.parent else ""
        result["composition"][obj.name] = _transform(obj, parent)
        if obj.type in GEOMETRY_TYPES:
            result["geometry"][obj.name] = _mesh_hash(obj, depsgraph)
        for index, slot in enumerate(obj.material_slots):
            result["material"][f"{obj.name}[{index}]"] = _material_hash(slot.material)
    result["composition"]["scene.camera"] = scene.camera.name if scene.camera else "none"
    world = scene.world
    result["lighting"]["world"] = (
        _hash(_round(world.color), _node_tree_hash(world.node_tree) if world.use_nodes else "no-nodes")
        if world else "none"
    )
    view = scene.view_settings
    result["lighting"]["color_management"] = _hash(
        view.view_transform, view.look, round(view.exposure, DECIMALS), round(view.gamma, DECIMALS),
        scene.display_settings.display_device,
    )
    return result


def _principled(obj):
    for slot in obj.material_slots:
        mat = slot.material
        if mat and mat.use_nodes:
            for node in mat.node_tree.nodes:
                if node.bl_idname == "ShaderNodeBsdfPrincipled":
                    return node
    return None


def object_stats(scene):
    stats = []
    for obj in scene.objects:
        corners = [obj.matrix_world @ _vector(c) for c in obj.bound_box]
        lo = [min(c[i] for c in corners) for i in range(3)]
        hi = [max(c[i] for c in corners) for i in range(3)]
        bsdf = _principled(obj)
        stats.append({
            "name": obj.name,
            "type": obj.type,
            "bboxMin": [round(v, 5) for v in lo],
            "bboxMax": [round(v, 5) for v in hi],
            "location": [round(v, 5) for v in obj.matrix_world.translation],
            "matrixWorld": [round(v, 6) for row in obj.matrix_world for v in row],
            "lensMm": round(obj.data.lens, 4) if obj.type == "CAMERA" else None,
            "sensorMm": round(obj.data.sensor_width, 4) if obj.type == "CAMERA" else None,
            "materials": [s.material.name for s in obj.material_slots if s.material],
            "baseColor": [round(v, 5) for v in bsdf.inputs["Base Color"].default_value[:3]] if bsdf else None,
            "metallic": round(bsdf.inputs["Metallic"].default_value, 5) if bsdf else None,
            "roughness": round(bsdf.inputs["Roughness"].default_value, 5) if bsdf else None,
            **_solid(obj),
        })
    return stats


def _solid(obj):
    """What tells primitives apart whoever built them: the mesh's volume over its local box's
    (cube 1, cylinder π/4, sphere π/6, cone π/12) and its Euler characteristic (a torus: 0)."""
    if obj.type != "MESH" or len(obj.data.polygons) == 0:
        return {"volumeRatio": None, "eulerCharacteristic": None}
    import bmesh

    bm = bmesh.new()
    try:
        bm.from_mesh(obj.data)
        volume = bm.calc_volume(signed=False)
        euler = len(bm.verts) - len(bm.edges) + len(bm.faces)
    finally:
        bm.free()
    box = [max(c[i] for c in obj.bound_box) - min(c[i] for c in obj.bound_box) for i in range(3)]
    box_volume = box[0] * box[1] * box[2]
    ratio = round(volume / box_volume, 5) if box_volume > 1e-12 else None
    return {"volumeRatio": ratio, "eulerCharacteristic": euler}


def _vector(corner):
    from mathutils import Vector

    return Vector(corner)
