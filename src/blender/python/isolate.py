"""Runs each job in a forked child of the pristine worker (the zygote), then erases its traces.

The zygote never runs untrusted code: it forks, the child runs one job and exits, and the
zygote kills whatever the child left running, collects the requested output files itself
(by names it builds from the job, never from the child's reply), and wipes the job folder
and /tmp. So no module, handler, preference, add-on, sys.path entry, bpy.ops replacement,
random state or file survives into the next job: the next child starts from the zygote's
untouched memory. Inside the sandbox the zygote is pid 2 of its own PID namespace, so
kill(-1) reaches every process the child may have started and nothing outside.
"""
import base64
import ctypes
import os
import resource
import select
import shutil
import signal
import stat
import time

REPLY_CAP = 32 * 1024 ** 2
FILE_CAP = 96 * 1024 ** 2
FILES_CAP = 160 * 1024 ** 2
PR_SET_DUMPABLE = 4


def harden_zygote():
    """Not dumpable: a child (same uid) can then neither open /proc/<zygote>/mem nor its fds."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _limit(kind, value):
    resource.setrlimit(kind, (value, value))  # hard limit too, so the program cannot raise it


def child_limits(job):
    """Per-job limits, set before untrusted code runs (CPU time counts from the fork)."""
    _limit(resource.RLIMIT_CPU, int(job.get("cpuSeconds", 600)))
    _limit(resource.RLIMIT_NPROC, int(job.get("maxProcesses", 128)))
    _limit(resource.RLIMIT_NOFILE, 1024)
    _limit(resource.RLIMIT_FSIZE, FILE_CAP)
    _limit(resource.RLIMIT_CORE, 0)


def _child(job, work, write_end, channel_fd):
    """In the child: drop the protocol channel and stdin, limit, run, send the reply, exit."""
    try:
        os.close(channel_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        child_limits(job)

        def send(text):
            view = memoryview(text.encode("utf-8"))
            while view:
                view = view[os.write(write_end, view[: 1 << 16]) :]

        # A batch sends a line per finished candidate first (kept even if the child then dies).
        send(work(send))
    finally:
        os._exit(0)


def _collect(read_end, pid, deadline, on_line):
    """Reads the child's reply until it exits (bounded), killing it at the deadline. While the
    child runs, every complete line goes to on_line (a batch's finished candidates)."""
    chunks, size, status, timed_out = [], 0, None, False
    pending, lines = b"", 0
    while status is None:
        ready, _, _ = select.select([read_end], [], [], 0.05)
        if ready:
            chunk = os.read(read_end, 1 << 16)
            if chunk and size <= REPLY_CAP:
                chunks.append(chunk)
                size += len(chunk)
                if on_line is not None:
                    pending += chunk
                    while b"\n" in pending:
                        line, pending = pending.split(b"\n", 1)
                        on_line(lines, line)
                        lines += 1
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
        elif time.monotonic() > deadline:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            status = os.waitpid(pid, 0)[1]
    os.set_blocking(read_end, False)
    try:
        while size <= REPLY_CAP and (chunk := os.read(read_end, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
    except BlockingIOError:
        pass  # a process the child started still holds the pipe: it is killed next
    os.close(read_end)
    return b"".join(chunks), size > REPLY_CAP, status, timed_out


def _exit_status(status, timed_out):
    code = os.waitstatus_to_exitcode(status)
    return {"code": code if code >= 0 else None, "signal": -code if code < 0 else None, "timedOut": timed_out}


def kill_strays(child_pid, sandboxed):
    """Ends everything the child started. In the sandbox's PID namespace kill(-1) reaches only
    the sandbox; without a sandbox only the child's process group can be reached."""
    for _ in range(50):
        try:
            if sandboxed:
                os.kill(-1, signal.SIGKILL)
            else:
                os.killpg(child_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if not sandboxed or not _others_alive():
            return True
        time.sleep(0.01)
    return False


def _others_alive():
    mine = {1, os.getpid()}
    return any(p.isdigit() and int(p) not in mine for p in os.listdir("/proc"))


def read_outputs(job_dir, names, already=0):
    """The requested files, read without following links and only when regular and small
    (`already`: bytes of this job's files sent before, which count towards the total cap)."""
    files, total = {}, already
    for name in names:
        try:
            fd = os.open(os.path.join(job_dir, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > FILE_CAP or total + info.st_size > FILES_CAP:
                continue
            data = os.read(fd, info.st_size + 1)
            total += len(data)
            files[name] = base64.b64encode(data).decode("ascii")
        finally:
            os.close(fd)
    return files


def wipe(folder, keep=()):
    """Empties a folder (the job folder, the private /tmp); True when it is empty again."""
    for entry in os.scandir(folder):
        if entry.path in keep:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, onerror=_make_writable)
        else:
            os.unlink(entry.path)
    return all(e.path in keep for e in os.scandir(folder))


def _make_writable(function, path, _info):
    """A child may chmod its folders to 000; the zygote (same uid) gives access back."""
    os.chmod(os.path.dirname(path), 0o700)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=None)
    else:
        function(path)


def run_isolated(job, work, context, on_line=None):
    """Forks a child for `job`; returns the envelope the zygote sends to Node. `on_line` sees
    each complete line of the child's reply while it runs (see worker.py: streaming)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(job, work, write_end, context["channel_fd"])
    os.close(write_end)
    deadline = time.monotonic() + float(job.get("timeoutSeconds", 120))
    reply, overflow, status, timed_out = _collect(read_end, pid, deadline, on_line)
    clean = kill_strays(pid, context["sandboxed"])
    files = read_outputs(context["job_dir"], *context["output_names"](job))
    clean = _wipe_all(context) and clean
    return {
        "id": job.get("id", ""),
        "exit": _exit_status(status, timed_out),
        "reply": None if overflow else reply.decode("utf-8", "replace"),
        "replyOverflow": overflow,
        "files": files,
        "retire": not clean,
    }


def _wipe_all(context):
    try:
        clean = wipe(context["job_dir"])
        if context["sandboxed"]:
            clean = wipe("/tmp", keep=(context["tempdir"],)) and clean
            clean = wipe(context["tempdir"]) and clean
            clean = wipe("/dev/shm") and clean
        return clean
    except OSError:
        return False  # the zygote cannot promise a clean slate: Node replaces this worker
