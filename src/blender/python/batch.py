"""A batch job: one program, several PARAMS sets (say a CMA-ES generation), in one forked child.

The child screens, compiles and runs the program's module-level code once, then for each
PARAMS set runs build(P) (the footer clears the scene first), audits and renders — the
fast path. Before every set after the first it resets what build() legitimately leaves
behind and checks that the state build() starts from is the one a fresh child would give
(state.py); if not, it stops, and Node renders the remaining sets by the full path (one
fresh child each), so the fast path never gives a different result.

Each candidate's result is written to the reply pipe as one JSON line as soon as it is
rendered, and its image is renamed into place only once complete: when the child crashes
mid-batch, the candidates before keep their images and the zygote still hands back their
lines. The last line is the job's own reply.
"""
import contextlib
import io
import json
import os
import time
import traceback

import bpy

import audit
import job as job_runner
import state

IMAGE_EXTENSIONS = {"PNG": "png", "BMP": "bmp"}


def image_name(job, index):
    return f"c{index}.{IMAGE_EXTENSIONS[job.get('imageFormat', 'PNG')]}"


def output_names(job):
    return [image_name(job, i) for i in range(len(job["paramSets"]))]


def _render(job, job_dir, index, namespace, result, captured):
    settings = job["render"]
    namespace["seig_render_settings"](
        settings["width"], settings["height"], settings.get("samples", 16), settings.get("seed", 0),
        settings.get("engine", "CYCLES"), settings.get("threads", 0),
    )
    scene = bpy.context.scene
    # Raw pixels instead of a PNG: the same 8-bit view-transformed pixels, no deflate on
    # either side (Blender writes both formats from one 8-bit buffer).
    scene.render.image_settings.file_format = job.get("imageFormat", "PNG")
    final = os.path.join(job_dir, image_name(job, index))
    partial = os.path.join(job_dir, "partial-" + image_name(job, index))
    started = time.time()
    try:
        if scene.camera is None:
            raise RuntimeError("the program created no camera (set bpy.context.scene.camera in compose)")
        scene.render.filepath = partial
        with contextlib.redirect_stdout(captured):
            bpy.ops.render.render(write_still=True)
        os.rename(partial, final)
        result["image"] = True
    except Exception as e:  # noqa: BLE001
        job_runner.failure(result, "render", f"render failed: {e}", None, traceback.format_exc())
    result["renderSeconds"] = time.time() - started


def _candidate(job, job_dir, baseline, index, namespace, captured, reset_seconds):
    result = {"candidate": index, "ok": True, "image": False, "error": None, "buildSeconds": 0.0,
              "renderSeconds": 0.0, "resetSeconds": reset_seconds}
    try:
        if not job_runner.build_scene(namespace, job["paramSets"][index], result, captured):
            return result
        problem = audit.audit(baseline)
        if problem:
            job_runner.failure(result, "audit", problem)
            return result
        _render(job, job_dir, index, namespace, result, captured)
    except Exception as e:  # noqa: BLE001 — report, whatever happened
        job_runner.failure(result, "render", f"{type(e).__name__}: {e}", None, traceback.format_exc())
    return result


def run_batch(job, job_dir, baseline, send):
    """Runs every PARAMS set it can prove equivalent to a fresh child; `send` writes one line."""
    reply = {"id": job["id"], "ok": True, "images": [], "fingerprint": None, "objects": [], "stdout": "",
             "blenderVersion": bpy.app.version_string, "error": None, "fallbackFrom": None}
    captured = io.StringIO()
    try:
        namespace = job_runner.load_program(job, reply, captured)
        if namespace is None:
            return reply
        # Only a batch with a further set needs the start state (a capture costs a few ms).
        start = state.capture(namespace) if len(job["paramSets"]) > 1 else None
        for index in range(len(job["paramSets"])):
            started = time.time()
            if index > 0:
                state.reset(start)
                changed = state.differences(start, state.capture(namespace))
                if changed:
                    reply["fallbackFrom"] = index
                    reply["fallbackReason"] = ", ".join(changed)
                    break
            reset_seconds = time.time() - started
            send(json.dumps(_candidate(job, job_dir, baseline, index, namespace, captured, reset_seconds)) + "\n")
        return reply
    except Exception as e:  # noqa: BLE001 — report, whatever happened
        job_runner.failure(reply, "render", f"{type(e).__name__}: {e}", None, traceback.format_exc())
        return reply
    finally:
        reply["stdout"] = captured.getvalue()[:job_runner.STDOUT_CAP]
