"""Material helpers of generated scene programs: one Principled BSDF per object.

Embedded into every program seig emits; see src/program/scene-library.ts.
"""
import bpy


def principled(name, color, roughness, metallic=0.0):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = next(n for n in mat.node_tree.nodes if n.type == "BSDF_PRINCIPLED")
    # These socket names are the same in Blender 3.x and 4.x.
    bsdf.inputs["Base Color"].default_value = (color[0], color[1], color[2], 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    return mat


def assign(name, mat):
    data = bpy.data.objects[name].data
    data.materials.clear()
    data.materials.append(mat)
