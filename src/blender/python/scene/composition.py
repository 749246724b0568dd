"""Composition helpers of generated scene programs: object transforms and the camera.

Embedded into every program seig emits; see src/program/scene-library.ts.
"""
import bpy
import math
from mathutils import Vector


def look_at(location, target):
    """Rotation that points an object's -Z axis from `location` at `target`, +Y up."""
    return (Vector(target) - Vector(location)).to_track_quat("-Z", "Y").to_euler()


def place(name, location, rotation_deg):
    obj = bpy.data.objects[name]
    obj.location = location
    obj.rotation_euler = [math.radians(a) for a in rotation_deg]


def add_camera(name, location, target, lens_mm, sensor_mm):
    cam = bpy.data.cameras.new(name)
    cam.lens = lens_mm
    cam.sensor_width = sensor_mm
    cam.sensor_fit = "HORIZONTAL"
    obj = bpy.data.objects.new(name, cam)
    bpy.context.scene.collection.objects.link(obj)
    obj.location = location
    obj.rotation_euler = look_at(location, target)
    bpy.context.scene.camera = obj
    return obj
