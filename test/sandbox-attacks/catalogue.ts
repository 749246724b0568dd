/**
 * Attack programs, each with the exact outcome the layers must produce. `screened`
 * attacks go through the static screen; all others run as unrestricted Python inside the
 * worker (skipScreen) — the position of a program that found a screen bypass — so what
 * stops them is the OS sandbox, the fork-per-job isolation, the post-build audit or
 * Node's reply validation.
 */
import type { JobErrorKind } from "../../src/blender/protocol.ts";

export type Layer = "screen" | "os" | "audit" | "isolation" | "reply" | "contained";

export interface Attack {
  name: string;
  category: string;
  code: string;
  layer: Layer;
  /** Expected error kind ("ok" when the job must succeed, e.g. a reset render setting). */
  kind: JobErrorKind | "ok";
  /** Expected error message (or, for kind "ok", expected stdout). */
  expect?: RegExp;
  screened?: boolean;
  moduleLevel?: string;
  render?: boolean;
  /** The job also asks for an object-index mask (mask.png). */
  mask?: boolean;
  timeoutMs?: number;
}

/** Helpers every unscreened attack may use: raw syscalls and the marker that proves success. */
export const PRELUDE = `import ctypes, os, sys, socket, stat, time, signal
libc = ctypes.CDLL(None, use_errno=True)
def check(r):
    if r == -1:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r
def mark(name):
    with open("{MARKERS}/" + name, "w") as f:
        f.write("x")`;

const a = (
  category: string,
  layer: Layer,
  kind: Attack["kind"],
  expect: RegExp | undefined,
  list: [string, string, Partial<Attack>?][],
): Attack[] => list.map(([name, code, extra]) => ({ name, category, code, layer, kind, expect, ...extra }));

const S = { screened: true };
const EPERM = /Operation not permitted|PermissionError/;
const ENOENT = /No such file or directory|FileNotFoundError/;
const EROFS = /Read-only file system/;

export const SCREEN_BYPASSES: Attack[] = a("screen bypass", "screen", "screen", /not allowed/, [
  ["alias of getattr", 'g = getattr\ng(random, "_os").system("touch {MARKERS}/a")', S],
  ["from random import _os", 'from random import _os\n_os.system("touch {MARKERS}/b")', S],
  ["from bpy.path import _os", "from bpy.path import _os", S],
  ["from bpy.utils import _sys", "from bpy.utils import _sys", S],
  ["map(getattr, …)", 'list(map(getattr, [random], ["_os"]))', S],
  ["generator frame to worker globals", "g = (x for x in [1])\nf = g.gi_frame.f_back", S],
  ["frame builtins exec", 'g = (x for x in [1])\ng.gi_frame.f_builtins["exec"]("1")', S],
  ["object.__subclasses__ via an alias", "o = object\no.__subclasses__()", S],
  ["match class pattern binding _os", "match random:\n    case object(_os=m):\n        m.system('x')", S],
  ["bpy.utils.execfile", 'bpy.utils.execfile("{SECRET}")', S],
  ["bpy.utils.modules_from_path", 'bpy.utils.modules_from_path("/tmp", set())', S],
  ["bpy.utils.units.to_value", 'bpy.utils.units.to_value("METRIC", "LENGTH", "1")', S],
  ["texts + text.run_script", 't = bpy.data.texts.new("x")\nbpy.ops.text.run_script()', S],
  [
    "from bpy.ops import script",
    'from bpy.ops import script\nscript.python_file_run(filepath="{SECRET}")',
    S,
  ],
  [
    "auto-exec preference + Python driver",
    "bpy.context.preferences.filepaths.use_scripts_auto_execute = True",
    S,
  ],
  ["driver with a Python expression", 'd = bpy.data.objects.new("o", None).driver_add("location", 0)', S],
  ["add-on install and enable", 'bpy.ops.preferences.addon_install(filepath="{SECRET}")', S],
  ["text.open reads any file", 'bpy.ops.text.open(filepath="/etc/passwd")', S],
  ["sounds.load + pack", 's = bpy.data.sounds.load("{SECRET}")\ns.pack()', S],
  ["path_resolve('images').load(photo)", 'bpy.data.path_resolve("images").load("{PHOTO}")', S],
  ["movieclips.load(photo)", 'bpy.data.movieclips.load("{PHOTO}")', S],
  ["wm.open_mainfile", 'bpy.ops.wm.open_mainfile(filepath="{RUN}/scene.blend")', S],
  ["wm.link", 'bpy.ops.wm.link(filepath="{RUN}/x.blend")', S],
  ["path_resolve('libraries').load", 'bpy.data.path_resolve("libraries").load("{RUN}/x.blend")', S],
  ["import os", 'import os\nos.system("touch {MARKERS}/c")', S],
  ["open for writing", 'open("{MARKERS}/d", "w")', S],
  ["__import__", '__import__("os")', S],
  ["exec", 'exec("1")', S],
]);

export const READS: Attack[] = [
  ...a("read", "os", "runtime", ENOENT, [
    ["a secret file on the host", 'print(open("{SECRET}").read())\nmark("read")'],
    ["the run's photo", 'print(open("{PHOTO}", "rb").read())\nmark("photo")'],
    ["/etc/passwd", 'print(open("/etc/passwd").read())\nmark("passwd")'],
    ["~/.bashrc of the user", 'print(open("{HOME}/.bashrc").read())\nmark("bashrc")'],
    ["a .env in the working directory", 'print(os.listdir("{CWD}"))\nmark("cwd")'],
    ["another run's folder", 'print(os.listdir("{RUN}"))\nmark("run")'],
  ]),
  ...a("read", "os", "runtime", /index 0 out of range/, [
    ["text.open of a secret", 'bpy.ops.text.open(filepath="{SECRET}")\nprint(bpy.data.texts[0].as_string())'],
  ]),
  ...a("read", "os", "runtime", /Cannot read|Cannot open|No such file|failed to open/i, [
    ["images.load of the photo", 'bpy.data.images.load("{PHOTO}")'],
    ["movieclips.load of the photo", 'bpy.data.movieclips.load("{PHOTO}")'],
    ["wm.open_mainfile of a host .blend", 'bpy.ops.wm.open_mainfile(filepath="{RUN}/scene.blend")'],
    [
      "libraries.load of a host .blend",
      'with bpy.data.libraries.load("{RUN}/x.blend") as (src, dst):\n    pass',
    ],
  ]),
  ...a(
    "read",
    "os",
    "ok",
    /ROOT \['bin', 'dev', 'etc', 'job', 'lib', 'lib64', 'proc', 'sbin', 'seig', 'tmp', 'usr'\]/,
    [["list the root: only Blender's mounts", 'print("ROOT", sorted(os.listdir("/")))']],
  ),
  ...a(
    "read",
    "os",
    "ok",
    /ENV \['HOME', 'LANG', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONNOUSERSITE', 'SEIG_JOB_DIR', 'SEIG_SANDBOXED'\]/,
    [
      [
        "environment holds no keys",
        'print("ENV", sorted(k for k in os.environ if k != "TZ"), dict(os.environ))',
      ],
    ],
  ),
];

export const WRITES: Attack[] = [
  ...a("write", "os", "runtime", ENOENT, [
    ["the planted marker folder", 'mark("write")'],
    ["overwrite the run's photo", 'open("{PHOTO}", "wb").write(b"x")'],
    [
      "a symlink from the job folder to the host",
      'os.symlink("{MARKERS}", "/job/out")\nopen("/job/out/link", "w")',
    ],
  ]),
  ...a("write", "os", "runtime", EROFS, [
    ["system libraries", 'open("/usr/lib/seig-x", "w")'],
    ["the worker's scripts folder", 'open("/seig/x.py", "w")'],
    ["the sandbox root", 'open("/seig-x", "w")'],
    ["/etc", 'open("/etc/seig-x", "w")'],
  ]),
  ...a("write", "os", "runtime", /Read-only|Permission denied/, [
    ["the worker's own scripts", 'open("/seig/worker.py", "a")'],
    ["/dev (an unsized tmpfs)", 'open("/dev/seig-x", "w")'],
    ["/proc/sys", 'open("/proc/sys/kernel/hostname", "w").write("x")'],
  ]),
  ...a("write", "os", "runtime", /Cannot open|cannot|No such file|Permission/i, [
    ["save_as_mainfile into the run folder", 'bpy.ops.wm.save_as_mainfile(filepath="{RUN}/x.blend")'],
  ]),
];

export const PRIVILEGES: Attack[] = a("privilege", "os", "runtime", EPERM, [
  ["mount a tmpfs", 'check(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))\nmark("mount")'],
  ["remount the root read-write", 'check(libc.mount(None, b"/", None, 0x20 | 0x1000, None))'],
  ["unshare a user namespace", "check(libc.unshare(0x10000000))"],
  ["unshare a mount namespace", "check(libc.unshare(0x00020000))"],
  ["clone with CLONE_NEWUSER", "check(libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0))"],
  [
    "setns into pid 1's mount namespace",
    'fd = os.open("/proc/1/ns/mnt", os.O_RDONLY)\ncheck(libc.setns(fd, 0))',
  ],
  ["chroot", 'os.chroot("/tmp")'],
  ["ptrace the zygote", "check(libc.ptrace(16, os.getppid(), 0, 0))"],
  ["write the zygote's memory", 'open(f"/proc/{os.getppid()}/mem", "r+b")'],
  ["keyctl", "check(libc.syscall(250, 0, 0, 0, 0, 0))"],
  ["bpf", "check(libc.syscall(321, 0, 0, 0))"],
  ["perf_event_open", "check(libc.syscall(298, 0, 0, -1, -1, 0))"],
  ["io_uring_setup", "check(libc.syscall(425, 1, 0))"],
  ["mknod a block device", 'os.mknod("/tmp/sda", stat.S_IFBLK | 0o600, os.makedev(8, 0))'],
  [
    "capabilities are all gone",
    'c = [l for l in open("/proc/self/status") if l.startswith("CapEff")][0]\nif c.split()[1] == "0000000000000000":\n    raise PermissionError("Operation not permitted: " + c.strip())\nmark("caps")',
  ],
]);

export const SOCKETS: Attack[] = [
  ...a("socket", "os", "runtime", /Connection refused/, [
    [
      "TCP to a host listener (the sandbox has its own loopback)",
      'socket.create_connection(("127.0.0.1", {PORT}), timeout=3)',
    ],
  ]),
  ...a("socket", "os", "runtime", /Network is unreachable/, [
    ["TCP to the internet", 'socket.create_connection(("1.1.1.1", 53), timeout=3)'],
  ]),
  ...a("socket", "os", "ok", undefined, [
    [
      "UDP to a host listener (lands on the sandbox's loopback)",
      's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b"x", ("127.0.0.1", {PORT}))',
    ],
  ]),
  ...a("socket", "os", "runtime", ENOENT, [
    ["a host unix socket", 's = socket.socket(socket.AF_UNIX)\ns.connect("{SOCK}")'],
  ]),
  ...a("socket", "os", "runtime", /Connection refused/, [
    ["a host abstract unix socket", 's = socket.socket(socket.AF_UNIX)\ns.connect("\\0{ABSTRACT}")'],
  ]),
  ...a("socket", "os", "runtime", /Address family not supported/, [
    ["a netlink socket", "socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)"],
    ["a packet socket", "socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)"],
  ]),
];
