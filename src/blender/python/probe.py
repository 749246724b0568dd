"""What the worker can see of its own confinement, reported once at start-up so that Node
(the pool and `seig doctor`) judge the sandbox by facts from inside it, not by the flags
it was started with."""
import os


def _status():
    fields = {}
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _mounts():
    """(mount point, read-only?, file system type) for every mount the worker sees."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as info:
        for line in info:
            left, _, right = line.partition(" - ")
            parts = left.split()
            found.append({"path": parts[4], "readOnly": "ro" in parts[5].split(","), "type": right.split()[0]})
    return found


def _network_interfaces():
    try:
        with open("/proc/net/dev", encoding="utf-8") as dev:
            return [line.split(":")[0].strip() for line in dev.readlines()[2:]]
    except OSError:
        return []


def report():
    status = _status()
    return {
        "uid": os.getuid(),
        "capEff": status.get("CapEff", ""),
        "capBnd": status.get("CapBnd", ""),
        "seccomp": int(status.get("Seccomp", "0") or 0),
        "noNewPrivs": status.get("NoNewPrivs") == "1",
        "pid": os.getpid(),
        "mounts": _mounts(),
        "interfaces": _network_interfaces(),
    }
