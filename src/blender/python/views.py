"""Camera overrides for extra views (orbits, close-ups) without touching the program."""
import contextlib

import bpy
from mathutils import Vector


@contextlib.contextmanager
def camera_for(scene, override):
    """Renders through a temporary camera placed by the caller; restores the program's camera."""
    if not override:
        if scene.camera is None:
            raise RuntimeError("the program created no camera (set bpy.context.scene.camera in compose)")
        yield scene.camera
        return
    original = scene.camera
    data = bpy.data.cameras.new("seig_view_camera")
    if original is not None and original.type == "CAMERA":
        data.lens = original.data.lens
        data.sensor_width = original.data.sensor_width
        data.sensor_fit = original.data.sensor_fit
        data.clip_end = max(original.data.clip_end, 1000.0)
    if override.get("lensMm"):
        data.lens = override["lensMm"]
    camera = bpy.data.objects.new("seig_view_camera", data)
    scene.collection.objects.link(camera)
    location = Vector(override["location"])
    camera.location = location
    camera.rotation_mode = "QUATERNION"
    camera.rotation_quaternion = (Vector(override["lookAt"]) - location).to_track_quat("-Z", "Y")
    scene.camera = camera
    try:
        yield camera
    finally:
        scene.camera = original
        bpy.data.objects.remove(camera, do_unlink=True)
        bpy.data.cameras.remove(data)
