"""Geometry helpers for the shapes whose form comes from their own PARAMS: superquadric,
capsule, lathe (revolved outline) and extrusion (extruded outline).

Embedded right after geometry.py's helpers, and only in programs that build one of these
shapes, so a program of basic shapes reads byte for byte as it did before they existed
(src/program/scene-library.ts). It therefore wraps geometry.py's primitive() instead of
editing it. Like the basic primitives, each unit mesh spans [-0.5, 0.5] on every axis, so
scaling by the object's size gives exactly that size.
"""
import bpy
import bmesh
import math
from mathutils import Vector

# Faces meeting at more than this keep a hard edge on otherwise smooth shapes: a box-like
# superquadric's edges, a lid's rim, a star's points.
SHARP_ANGLE_DEG = 40
RING_SEGMENTS = 32  # a multiple of 4, so rings reach ±0.5 on X and Y exactly


def circle(segments):
    return [(math.cos(2 * math.pi * j / segments), math.sin(2 * math.pi * j / segments)) for j in range(segments)]


def revolve(bm, rings, loop=None):
    """The surface through (radius, z) rings, bottom to top, each ring `loop` (a closed unit
    curve, a circle by default) scaled by its radius. An end ring of radius 0 is a pole; any
    other end ring is closed by a flat cap."""
    loop = loop or circle(RING_SEGMENTS)
    segments = len(loop)
    loops = []
    for r, z in rings:
        if r <= 0:
            loops.append([bm.verts.new((0.0, 0.0, z))])
        else:
            loops.append([bm.verts.new((r * x, r * y, z)) for x, y in loop])
    for a, b in zip(loops, loops[1:]):
        if len(a) == 1 and len(b) == 1:
            continue
        for j in range(segments):
            k = (j + 1) % segments
            quad = (a[j % len(a)], a[k % len(a)], b[k % len(b)], b[j % len(b)])
            # Counter-clockwise seen from outside; a pole merges two corners into one.
            bm.faces.new([v for i, v in enumerate(quad) if v is not quad[i - 1]])
    if len(loops[0]) > 1:
        bm.faces.new(list(reversed(loops[0])))
    if len(loops[-1]) > 1:
        bm.faces.new(loops[-1])


def superellipse_quarter(e, steps):
    """Points from (1, 0) to (0, 1) on (cos^e t, sin^e t), evenly spaced along the curve.
    Even angles would crowd a box-like curve's vertices into its corners and leave each side
    one long face, which smooth shading darkens; even spacing keeps the sides flat."""
    dense = [(math.cos(t) ** e, math.sin(t) ** e) for t in (math.pi / 2 * i / 1024 for i in range(1025))]
    dense[-1] = (0.0, 1.0)
    length = [0.0]
    for a, b in zip(dense, dense[1:]):
        length.append(length[-1] + math.dist(a, b))
    points, i = [], 0
    for k in range(steps + 1):
        target = length[-1] * k / steps
        while i < len(dense) - 2 and length[i + 1] < target:
            i += 1
        f = (target - length[i]) / max(length[i + 1] - length[i], 1e-12)
        f = min(max(f, 0.0), 1.0)
        points.append(tuple(a + f * (b - a) for a, b in zip(dense[i], dense[i + 1])))
    return points


def superquadric(bm, exponents, quarter_steps=8):
    """A superellipsoid: e1 bends the vertical profile, e2 the horizontal cross-section.
    Quarters end on the axes, so the mesh reaches ±0.5 on every axis."""
    e1, e2 = (min(max(e, 0.1), 2.5) for e in exponents)
    section = superellipse_quarter(e2, quarter_steps)[:-1]
    loop = [p for m in range(4) for p in (section if m == 0 else [rotate_quarter(q, m) for q in section])]
    upper = superellipse_quarter(e1, quarter_steps)
    rings = [(0.5 * r, -0.5 * z) for r, z in reversed(upper)] + [(0.5 * r, 0.5 * z) for r, z in upper[1:]]
    revolve(bm, rings, loop)


def rotate_quarter(point, turns):
    x, y = point
    for _ in range(turns):
        x, y = -y, x
    return (x, y)


def capsule(bm, size, rings=8):
    """A cylinder with half-ellipsoid ends as tall as the narrower half-width (in world units),
    squashed into an ellipsoid when the object is not taller than wide."""
    cap = min(0.5, 0.5 * min(size[0], size[1]) / size[2]) if size[2] > 0 else 0.5
    bottom = [(0.5 * math.sin(math.pi / 2 * k / rings), -0.5 + cap * (1 - math.cos(math.pi / 2 * k / rings)))
              for k in range(rings + 1)]
    top = [(r, -z) for r, z in reversed(bottom)]
    # With no straight part the two equators coincide: keep one.
    revolve(bm, bottom + (top[1:] if cap >= 0.5 else top))


def lathe(bm, profile):
    """Radii (fractions of the half-width) at evenly spaced heights, bottom to top; the widest
    ring spans the full width."""
    widest = max(profile)
    n = len(profile)
    rings = []
    for i, r in enumerate(profile):
        r = 0.5 * r / widest
        # Only the ends may close in a point; a zero inside would pinch the solid in two.
        rings.append((r if i in (0, n - 1) else max(r, 0.005), -0.5 + i / (n - 1)))
    revolve(bm, rings)


def extrusion(bm, outline):
    """A closed outline in the XY unit square (either way round), its box stretched to
    [-0.5, 0.5]², extruded from z = -0.5 to 0.5."""
    xs, ys = [p[0] for p in outline], [p[1] for p in outline]
    span = [max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)]
    points = []
    for x, y in outline:
        p = ((x - min(xs)) / span[0] - 0.5, (y - min(ys)) / span[1] - 0.5)
        # A repeated point would make a zero-width side face.
        if not points or math.dist(p, points[-1]) > 1e-6:
            points.append(p)
    if len(points) > 1 and math.dist(points[0], points[-1]) <= 1e-6:
        points.pop()
    area = sum(points[i - 1][0] * y - x * points[i - 1][1] for i, (x, y) in enumerate(points))
    if area < 0:
        points.reverse()
    bottom = [bm.verts.new((x, y, -0.5)) for x, y in points]
    top = [bm.verts.new((x, y, 0.5)) for x, y in points]
    for i in range(len(points)):
        j = (i + 1) % len(points)
        bm.faces.new((bottom[i], bottom[j], top[j], top[i]))
    bm.faces.new(list(reversed(bottom)))
    bm.faces.new(top)


SHAPED = ("superquadric", "capsule", "lathe", "extrusion")
basic_primitive = primitive


def primitive(name, shape, size, shape_params=None):
    """geometry.py's primitive(), plus the shapes whose form is `shape_params`: a superquadric's
    [e1, e2], a lathe's profile, an extrusion's outline (a capsule needs none)."""
    if shape not in SHAPED:
        return basic_primitive(name, shape, size)
    bm = bmesh.new()
    if shape == "superquadric":
        superquadric(bm, shape_params)
    elif shape == "capsule":
        capsule(bm, size)
    elif shape == "lathe":
        lathe(bm, shape_params)
    else:
        extrusion(bm, shape_params)
    bmesh.ops.scale(bm, vec=Vector(size), verts=bm.verts)
    bm.normal_update()
    for edge in bm.edges:
        edge.smooth = edge.calc_face_angle(0.0) < math.radians(SHARP_ANGLE_DEG)
    obj = link_mesh(name, bm, smooth=True)
    # Blender before 4.1 honours sharp edges only with auto smooth; 4.1 dropped the setting.
    if "use_auto_smooth" in obj.data.bl_rna.properties:
        obj.data.use_auto_smooth = True
        obj.data.auto_smooth_angle = math.pi
    return obj
