"""One job, run in a forked child of the zygote (see isolate.py): screen, build, audit,
fingerprint, render into the job folder. The reply names what happened; the zygote, not
this code, picks up the output files, and Node checks everything again."""
import builtins
import contextlib
import io
import os
import random
import time
import traceback

import bpy
import mathutils

import audit
import fingerprint
import masks
import screen
import views

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "standalone.py"), encoding="utf-8") as footer_file:
    FOOTER = footer_file.read()
STDOUT_CAP = 20000
PROGRAM_FILE = "program.py"
BLEND_NAME = "scene.blend"
GLB_NAME = "scene.glb"


def output_names(job):
    """Every file a job may hand back, named by the job (the zygote reads only these)."""
    render = job.get("render")
    names = [v["name"] + ".png" for v in (render.get("views") or [{"name": "render"}])] if render else []
    if job.get("saveBlend"):
        names.append(BLEND_NAME)
    if job.get("saveGlb"):
        names.append(GLB_NAME)
    if job.get("mask"):
        names.append(masks.MASK_NAME)
    return names + list(job.get("collect") or [])


def restricted_builtins():
    """Builtins for screened code: the screen's rules again at run time (a linter, not a wall)."""
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


def load_program(job, reply, captured):
    """Screens and compiles the program and runs its module-level code; its namespace, or None."""
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
    # Module-level random draws too must not depend on the worker's startup entropy;
    # build() (the footer) seeds again before the sections run.
    random.seed(0)
    mathutils.noise.seed_set(0)
    if not guarded(reply, captured, lambda: exec(code, namespace)):
        return None
    if job.get("sectionFingerprints"):
        fingerprint.watch_sections(namespace, reply)
    return namespace


def guarded(reply, captured, step):
    """Runs program code with its output captured; False (and the reply failed) when it raised."""
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            step()
        return True
    except BaseException as e:  # noqa: BLE001 — SystemExit from a program must not skip the reply
        line = program_line(e.__traceback__)
        where = f"line {line}: " if line else ""
        tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        failure(reply, "runtime", f"{where}{type(e).__name__}: {e}", line, tb)
        return False


def build_scene(namespace, params, reply, captured):
    """build(P) (the footer clears the scene first); True when it ran without raising."""
    started = time.time()
    if not guarded(reply, captured, lambda: namespace["build"](params)):
        return False
    reply["buildSeconds"] = time.time() - started
    return True


def run_program(job, reply, captured):
    """Screens, compiles and builds the program; returns its namespace, or None on failure."""
    started = time.time()
    namespace = load_program(job, reply, captured)
    if namespace is None or not build_scene(namespace, job.get("params") or {}, reply, captured):
        return None
    reply["buildSeconds"] = time.time() - started
    return namespace


def render_views(job, job_dir, reply, namespace, captured):
    settings = job["render"]
    scene = bpy.context.scene
    namespace["seig_render_settings"](
        settings["width"], settings["height"], settings.get("samples", 16), settings.get("seed", 0),
        "CYCLES", settings.get("threads", 0),
    )
    requested = settings.get("views") or [{"name": "render"}]
    started = time.time()
    try:
        for view in requested:
            with views.camera_for(scene, view.get("camera")), contextlib.redirect_stdout(captured):
                scene.render.filepath = os.path.join(job_dir, view["name"] + ".png")
                bpy.ops.render.render(write_still=True)
            reply["images"].append(view["name"])
    except Exception as e:  # noqa: BLE001
        failure(reply, "render", f"render failed: {e}", None, traceback.format_exc())
    reply["renderSeconds"] = time.time() - started


def save_outputs(job, job_dir, captured):
    with contextlib.redirect_stdout(captured):
        if job.get("saveBlend"):
            bpy.ops.wm.save_as_mainfile(filepath=os.path.join(job_dir, BLEND_NAME), copy=True, check_existing=False)
        if job.get("saveGlb"):
            bpy.ops.export_scene.gltf(
                filepath=os.path.join(job_dir, GLB_NAME), export_format="GLB", export_cameras=True,
                export_lights=True, export_apply=True,
            )


def render_mask(job, job_dir, reply, captured):
    """After everything else: the mask render rewrites the scene's materials and settings."""
    started = time.time()
    try:
        with contextlib.redirect_stdout(captured):
            path = os.path.join(job_dir, masks.MASK_NAME)
            reply["maskLegend"] = masks.render_mask(bpy.context.scene, job["mask"], path)
    except Exception as e:  # noqa: BLE001
        failure(reply, "render", f"mask render failed: {e}", None, traceback.format_exc())
    reply["maskSeconds"] = time.time() - started


def run_job(job, job_dir, baseline):
    reply = {"id": job["id"], "ok": True, "images": [], "fingerprint": None, "objects": [], "stdout": "",
             "blenderVersion": bpy.app.version_string, "error": None}
    captured = io.StringIO()
    try:
        namespace = run_program(job, reply, captured)
        if namespace is None:
            return reply
        problem = audit.audit(baseline)
        if problem:
            failure(reply, "audit", problem)
            return reply
        scene = bpy.context.scene
        if job.get("fingerprint", True):
            reply["fingerprint"] = fingerprint.fingerprint(scene)
            reply["objects"] = fingerprint.object_stats(scene)
        if job.get("render"):
            render_views(job, job_dir, reply, namespace, captured)
        if reply["ok"]:
            save_outputs(job, job_dir, captured)
        if reply["ok"] and job.get("mask"):
            render_mask(job, job_dir, reply, captured)
        return reply
    except Exception as e:  # noqa: BLE001 — report, whatever happened
        failure(reply, "render", f"{type(e).__name__}: {e}", None, traceback.format_exc())
        return reply
    finally:
        reply["stdout"] = captured.getvalue()[:STDOUT_CAP]
