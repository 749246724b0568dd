"""Lighting helpers of generated scene programs: a sun, the world colour, and exposure.

Embedded into every program seig emits, and nested into the lighting section `seig relight`
writes (so a relit program needs nothing from its header); see src/program/scene-library.ts.
Self-contained for that reason: it uses no other helper module.
"""
import bpy
import math
from mathutils import Vector


def sun_direction(elevation_deg, azimuth_deg):
    """Unit vector from the origin toward the sun; azimuth runs from +X toward +Y."""
    el, az = math.radians(elevation_deg), math.radians(azimuth_deg)
    return Vector((math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)))


def add_sun(name, elevation_deg, azimuth_deg, strength, color, angle_deg):
    light = bpy.data.lights.new(name, type="SUN")
    light.energy = strength
    light.color = color
    light.angle = math.radians(angle_deg)
    obj = bpy.data.objects.new(name, light)
    bpy.context.scene.collection.objects.link(obj)
    toward = sun_direction(elevation_deg, azimuth_deg)
    # A sun's position does not matter for shading; this one sits where it shines from,
    # its -Z axis pointing at the origin.
    obj.location = toward * 10.0
    obj.rotation_euler = (Vector((0.0, 0.0, 0.0)) - Vector(toward)).to_track_quat("-Z", "Y").to_euler()
    return obj


def set_world(name, color, strength):
    world = bpy.data.worlds.get(name) or bpy.data.worlds.new(name)
    world.use_nodes = True
    background = next(n for n in world.node_tree.nodes if n.type == "BACKGROUND")
    background.inputs["Color"].default_value = (color[0], color[1], color[2], 1.0)
    background.inputs["Strength"].default_value = strength
    bpy.context.scene.world = world
    return world


def set_exposure(exposure):
    view = bpy.context.scene.view_settings
    view.view_transform = "Standard"
    view.look = "None"
    view.exposure = exposure
