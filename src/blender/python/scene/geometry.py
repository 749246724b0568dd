"""Geometry helpers of generated scene programs: unit primitives and the ground plane.

Embedded into every program seig emits (after the module docstring and imports), so a saved
program stays standalone; see src/program/scene-library.ts.
"""
import bpy
import bmesh
import math
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
