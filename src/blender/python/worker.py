"""seig Blender worker: a persistent process that runs scene programs and renders them.

Protocol (see src/blender/protocol.ts): one JSON job per line on stdin; one JSON reply
per line on file descriptor 3, the first being {"ready": true}. Blender's own output goes
to stdout/stderr and is not part of the protocol. Everything clever lives in TypeScript;
this file only runs a job and reports what happened.
"""
import builtins
import contextlib
import io
import json
import os
import sys
import time
import traceback

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fingerprint  # noqa: E402
import screen  # noqa: E402
import views  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "standalone.py"), encoding="utf-8") as footer_file:
    FOOTER = footer_file.read()
STDOUT_CAP = 20000
PROGRAM_FILE = "program.py"


def restricted_builtins():
    """Builtins for untrusted code: the screen's rules again, at run time (defence in depth)."""
    allowed = screen.ALLOWED_MODULES
    real_import = builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name.split(".")[0] not in allowed:
            raise ImportError(f"import {name} is not allowed in a scene program")
        return real_import(name, globals, locals, fromlist, level)

    safe = {k: v for k, v in vars(builtins).items() if k not in screen.FORBIDDEN_CALLS}
    safe["__import__"] = guarded_import
    return safe


def program_line(tb):
    """The last traceback line inside the program, 1-based, or None."""
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == PROGRAM_FILE:
            line = frame.lineno
    return line


def failure(reply, kind, message, line=None, tb=""):
    reply["ok"] = False
    reply["error"] = {"kind": kind, "message": message, "traceback": tb, "line": line}


def run_program(job, reply, captured):
    """Screens, compiles and builds the program; returns its namespace, or None on failure."""
    body = job["body"]
    if not job.get("skipScreen"):
        rejected = screen.screen(body)
        if rejected:
            return failure(reply, "screen", rejected[0], rejected[1])
    try:
        code = compile(body.rstrip("\n") + "\n" + FOOTER, PROGRAM_FILE, "exec")
    except SyntaxError as e:
        return failure(reply, "syntax", f"line {e.lineno}: {e.msg}", e.lineno)
    namespace = {"__name__": "seig_program"}
    if not job.get("skipScreen"):
        namespace["__builtins__"] = restricted_builtins()
    started = time.time()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            exec(code, namespace)
            if job.get("sectionFingerprints"):
                fingerprint.watch_sections(namespace, reply)
            namespace["build"](job.get("params") or {})
    except BaseException as e:  # noqa: BLE001 — SystemExit from a program must not end the worker
        line = program_line(e.__traceback__)
        where = f"line {line}: " if line else ""
        tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        return failure(reply, "runtime", f"{where}{type(e).__name__}: {e}", line, tb)
    reply["buildSeconds"] = time.time() - started
    return namespace


def render_views(job, reply, namespace, captured):
    settings = job["render"]
    scene = bpy.context.scene
    namespace["seig_render_settings"](
        settings["width"], settings["height"], settings.get("samples", 16), settings.get("seed", 0),
        settings.get("engine", "CYCLES"), settings.get("threads", 0),
    )
    requested = settings.get("views") or [{"name": "render"}]
    started = time.time()
    try:
        for view in requested:
            path = os.path.join(job["outDir"], view["name"] + ".png")
            with views.camera_for(scene, view.get("camera")), contextlib.redirect_stdout(captured):
                scene.render.filepath = path
                bpy.ops.render.render(write_still=True)
            reply["images"].append({"name": view["name"], "path": path})
    except Exception as e:  # noqa: BLE001
        failure(reply, "render", f"render failed: {e}", None, traceback.format_exc())
    reply["renderSeconds"] = time.time() - started


def save_outputs(job, captured):
    with contextlib.redirect_stdout(captured):
        if job.get("saveBlend"):
            bpy.ops.wm.save_as_mainfile(filepath=job["saveBlend"], copy=True, check_existing=False)
        if job.get("saveGlb"):
            bpy.ops.export_scene.gltf(
                filepath=job["saveGlb"], export_format="GLB", export_cameras=True, export_lights=True,
                export_apply=True,
            )


def run_job(job):
    reply = {"id": job["id"], "ok": True, "images": [], "fingerprint": None, "objects": [], "stdout": "",
             "blenderVersion": bpy.app.version_string, "error": None}
    bpy.ops.wm.read_factory_settings(use_empty=True)
    os.makedirs(job["outDir"], exist_ok=True)
    captured = io.StringIO()
    try:
        namespace = run_program(job, reply, captured)
        if namespace is None:
            return reply
        scene = bpy.context.scene
        reply["fingerprint"] = fingerprint.fingerprint(scene)
        reply["objects"] = fingerprint.object_stats(scene)
        if job.get("render"):
            render_views(job, reply, namespace, captured)
        if reply["ok"]:
            save_outputs(job, captured)
        return reply
    except Exception as e:  # noqa: BLE001 — the worker reports, never dies on a job
        failure(reply, "render", f"{type(e).__name__}: {e}", None, traceback.format_exc())
        return reply
    finally:
        reply["stdout"] = captured.getvalue()[:STDOUT_CAP]


def main():
    channel = os.fdopen(3, "w", buffering=1, encoding="utf-8")

    def send(message):
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    send({"ready": True, "blenderVersion": bpy.app.version_string})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = json.loads(line)
        except json.JSONDecodeError as e:
            send({"id": "", "ok": False, "error": {"kind": "protocol", "message": str(e), "traceback": "", "line": None}})
            continue
        send(run_job(job))


main()
