"""seig Blender worker: a zygote that runs each scene program in a fresh forked child.

Protocol (see src/blender/protocol.ts): one JSON job per line on stdin; one JSON envelope
per job on file descriptor 3, the first line being {"ready": true, ...}. Only this process
holds fd 3: children get neither it nor stdin, so untrusted code can neither forge an
envelope nor read the next job. Blender's own output goes to stdout/stderr.
"""
import gc
import json
import os
import sys

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import audit  # noqa: E402
import batch  # noqa: E402
import isolate  # noqa: E402
import job as job_runner  # noqa: E402
import probe  # noqa: E402

CHANNEL_FD = 3


def warm_up():
    """Tiny renders saved as PNG, so every forked child starts with Cycles' kernels and the
    colour-management processors of both usual view transforms ready: a child that builds
    them itself pays ~0.5 s per job, which the parent then never caches."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    camera = bpy.data.objects.new("warm", bpy.data.cameras.new("warm"))
    scene.collection.objects.link(camera)
    scene.camera = camera
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.render.resolution_x = scene.render.resolution_y = 8
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    # One thread: worker threads started here would not exist in forked children.
    scene.render.threads_mode = "FIXED"
    scene.render.threads = 1
    scene.render.filepath = os.path.join(bpy.app.tempdir, "seig-warm.png")
    for view_transform in ("Filmic", "Standard"):
        scene.view_settings.view_transform = view_transform
        bpy.ops.render.render(write_still=True)
    os.unlink(scene.render.filepath)
    bpy.ops.wm.read_factory_settings(use_empty=True)


class Stream:
    """A batch's finished candidates, sent to Node while the child renders the next ones: one
    {"id", "partial": k, "line", "files"} message per complete reply line, with candidate k's
    image, so Node scores k while k + 1 renders. The final envelope then carries only the
    files not sent yet. Node trusts none of it more than an envelope (protocol.ts)."""

    def __init__(self, job, job_dir, send):
        self.job, self.job_dir, self.send = job, job_dir, send
        self.sent, self.bytes = set(), 0

    def on_line(self, index, line):
        if index >= len(self.job["paramSets"]):
            return  # more lines than sets: Node sees them in the envelope and rejects it
        name = batch.image_name(self.job, index)
        files = isolate.read_outputs(self.job_dir, [name], self.bytes)
        self.sent.update(files)
        self.bytes += sum(len(v) * 3 // 4 for v in files.values())
        self.send({"id": self.job.get("id", ""), "partial": index, "line": line.decode("utf-8", "replace"),
                   "files": files})

    def output_names(self, job):
        """The job's files still to send, and the bytes already sent (they count towards the cap)."""
        return [n for n in batch.output_names(job) if n not in self.sent], self.bytes


def output_names(job):
    return job_runner.output_names(job), 0


def run(job, job_dir, baseline, send):
    """In the forked child: a batch (several PARAMS sets) or a single job; the reply's last line."""
    if job.get("paramSets") is not None:
        return json.dumps(batch.run_batch(job, job_dir, baseline, send))
    return json.dumps(job_runner.run_job(job, job_dir, baseline))


def main():
    channel = os.fdopen(CHANNEL_FD, "w", buffering=1, encoding="utf-8")

    def send(message):
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    sandboxed = os.environ.get("SEIG_SANDBOXED") == "1"
    job_dir = os.environ["SEIG_JOB_DIR"]
    warm_up()
    baseline = audit.baseline()
    # Children inherit the zygote's objects. Frozen, a collection in a child neither scans
    # them (a full collection of Blender's ~54,000 objects costs ~17 ms) nor writes to
    # their pages, which would copy them (copy-on-write). Results do not change.
    gc.collect()
    gc.freeze()
    isolate.harden_zygote()
    context = {"channel_fd": CHANNEL_FD, "sandboxed": sandboxed, "job_dir": job_dir,
               "tempdir": os.path.normpath(bpy.app.tempdir)}
    send({"ready": True, "blenderVersion": bpy.app.version_string, "sandbox": probe.report()})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = json.loads(line)
        except json.JSONDecodeError:
            return  # Node never sends this: end, and let the pool start a new worker
        stream = Stream(job, job_dir, send) if job.get("paramSets") is not None else None
        names = stream.output_names if stream else output_names
        envelope = isolate.run_isolated(job, lambda reply: run(job, job_dir, baseline, reply),
                                        {**context, "output_names": names}, stream and stream.on_line)
        send(envelope)
        if envelope["retire"]:
            return


main()
