/** Attacks on processes, resources, the reply channel and the post-build audit (see catalogue.ts). */
import type { Attack, Layer } from "./catalogue.ts";

const a = (
  category: string,
  layer: Layer,
  kind: Attack["kind"],
  expect: RegExp | undefined,
  list: [string, string, Partial<Attack>?][],
): Attack[] => list.map(([name, code, extra]) => ({ name, category, code, layer, kind, expect, ...extra }));

/** A forged reply written straight into the job's reply pipe, after which the job's process exits. */
const forge = (reply: string) => `import gc, json
job = next(o for o in gc.get_objects() if isinstance(o, dict) and "cpuSeconds" in o)
f = sys._getframe()
while "write_end" not in f.f_locals:
    f = f.f_back
os.write(f.f_locals["write_end"], (${reply}).encode())
os._exit(0)`;

export const PROCESSES: Attack[] = [
  ...a("process", "os", "runtime", /No such file or directory/, [
    ["run a shell", 'import subprocess\nsubprocess.run(["/bin/sh", "-c", "touch {MARKERS}/sh"])'],
  ]),
  ...a("process", "os", "runtime", /ProcessLookupError|No such process/, [
    ["signal seig's own Node process", "os.kill({NODEPID}, signal.SIGTERM)"],
  ]),
  ...a("process", "os", "runtime", /Resource temporarily unavailable/, [
    [
      "fork bomb",
      "for i in range(5000):\n    if os.fork() == 0:\n        time.sleep(30)\n        os._exit(0)",
      { timeoutMs: 30_000 },
    ],
  ]),
  ...a("process", "os", "ok", /PIDS \[1, 2, \d+\]/, [
    [
      "see only the sandbox's processes",
      'print("PIDS", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))',
    ],
  ]),
];

export const RESOURCES: Attack[] = [
  ...a("resource", "contained", "timeout", /did not finish within 3 s/, [
    ["infinite loop", "while True:\n    pass", { timeoutMs: 3000 }],
    [
      "deep Python recursion (on the heap in 3.11)",
      "sys.setrecursionlimit(10 ** 8)\ndef f(n):\n    return f(n + 1) + 1\nf(0)",
      { timeoutMs: 3000 },
    ],
  ]),
  ...a("resource", "contained", "ok", undefined, [
    [
      "view-layer and Cycles samples raised to 10⁶",
      'bpy.context.view_layer.samples = 1000000\nbpy.context.scene.cycles.samples = 1000000\nbpy.context.scene.render.use_motion_blur = True\nfor i in range(20):\n    bpy.context.scene.view_layers.new(f"v{i}").samples = 1000000',
      { render: true, timeoutMs: 20_000 },
    ],
    ["100 MB of output", 'for i in range(1000):\n    print("x" * 100000)'],
  ]),
  ...a("resource", "contained", "runtime", /MemoryError/, [
    ["allocate 12 GB", "b = bytearray(12 * 1024 ** 3)"],
  ]),
  ...a("resource", "contained", "runtime", /MemoryError/, [
    [
      "10⁹-vertex mesh",
      'm = bpy.data.meshes.new("m")\nm.vertices.add(10 ** 9)\nm.vertices.foreach_get("co", [0.0] * (3 * 10 ** 9))',
    ],
  ]),
  ...a("resource", "contained", "crash", /crashed/, [
    [
      "deep recursion past the C stack",
      "sys.setrecursionlimit(10 ** 7)\nl = []\nfor i in range(10 ** 6):\n    l = [l]\nrepr(l)",
    ],
    ["segfault", "ctypes.string_at(0)"],
    ["abort", "os.abort()"],
  ]),
  ...a("resource", "contained", "runtime", /No space left|File too large/, [
    [
      "fill the job folder",
      'f = open("/job/fill", "wb")\nfor i in range(2048):\n    f.write(b"x" * 2 ** 20)',
    ],
    [
      "fill the job folder with many files",
      'for i in range(64):\n    open(f"/job/fill{i}", "wb").write(b"x" * 60 * 2 ** 20)',
    ],
    ["fill /tmp", 'for i in range(64):\n    open(f"/tmp/fill{i}", "wb").write(b"x" * 60 * 2 ** 20)'],
    ["fill /dev/shm", 'open("/dev/shm/fill", "wb").write(b"x" * 64 * 2 ** 20)'],
  ]),
  ...a("resource", "contained", "runtime", /Too many open files/, [
    ["exhaust file descriptors", 'fs = [open("/dev/null") for i in range(100000)]'],
  ]),
  ...a("resource", "contained", "crash", /crashed|restarted/, [
    ["kill the zygote", "os.kill(os.getppid(), signal.SIGKILL)"],
  ]),
  ...a("resource", "contained", "timeout", /did not finish/, [
    [
      "stop the zygote (SIGSTOP)",
      "os.kill(os.getppid(), signal.SIGSTOP)\ntime.sleep(60)",
      { timeoutMs: 2000 },
    ],
  ]),
];

export const PROTOCOL: Attack[] = [
  ...a("protocol", "isolation", "runtime", /Bad file descriptor/, [
    ["write a forged envelope to fd 3", 'os.write(3, b\'{"id": "x"}\\n\')'],
  ]),
  ...a("protocol", "isolation", "runtime", /Permission denied/, [
    ["open the zygote's fd 3 through /proc", 'open(f"/proc/{os.getppid()}/fd/3", "w")'],
  ]),
  ...a("protocol", "reply", "protocol", /another job/, [
    ["forged reply with another job's id", forge('json.dumps({"id": "job-1", "ok": True})')],
  ]),
  ...a("protocol", "reply", "protocol", /view nobody asked for/, [
    [
      "forged reply naming ../ images",
      forge('json.dumps({"id": job["id"], "ok": True, "images": ["../../../etc/x"]})'),
      { render: true },
    ],
  ]),
  ...a("protocol", "reply", "protocol", /not JSON/, [["unparsable reply", forge('"[not json"')]]),
  ...a("protocol", "reply", "protocol", /does not match/, [
    ["schema-invalid reply", forge('json.dumps({"id": job["id"], "ok": "yes"})')],
  ]),
  ...a("protocol", "reply", "protocol", /size cap/, [["a 40 MB reply", forge('"x" * (40 * 2 ** 20)')]]),
  ...a("protocol", "reply", "runtime", /^boom\[2J red$/, [
    [
      "control characters in the error message",
      forge(
        'json.dumps({"id": job["id"], "ok": False, "error": {"kind": "runtime", "message": "boom\\r\\x1b[2J\\x07 red"}})',
      ),
    ],
  ]),
  ...a("protocol", "reply", "render", /no render.png/, [
    [
      "render.png as a symlink to a sandbox file",
      'os.symlink("/seig/worker.py", "/job/render.png")\n' +
        forge('json.dumps({"id": job["id"], "ok": True, "images": ["render"]})'),
      { render: true },
    ],
    [
      "render.png as a FIFO",
      'os.mkfifo("/job/render.png")\n' +
        forge('json.dumps({"id": job["id"], "ok": True, "images": ["render"]})'),
      { render: true },
    ],
  ]),
  ...a("protocol", "reply", "protocol", /mask nobody asked for/, [
    [
      "forged reply naming a mask nobody asked for",
      forge('json.dumps({"id": job["id"], "ok": True, "maskLegend": [{"id": 1, "name": "x"}]})'),
    ],
  ]),
  ...a("protocol", "reply", "protocol", /does not match/, [
    [
      "forged mask legend with a repeated id",
      forge(
        'json.dumps({"id": job["id"], "ok": True, "maskLegend": [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]})',
      ),
      { mask: true },
    ],
  ]),
  ...a("protocol", "reply", "render", /no mask.png/, [
    [
      "mask.png as a symlink to a sandbox file",
      'os.symlink("/seig/worker.py", "/job/mask.png")\n' +
        forge('json.dumps({"id": job["id"], "ok": True, "maskLegend": [{"id": 1, "name": "x"}]})'),
      { mask: true },
    ],
  ]),
  ...a("protocol", "os", "render", /mask render failed.*cannot save/, [
    [
      "mask.png as a symlink to the host's marker folder, then a real mask render",
      'os.symlink("{MARKERS}/mask", "/job/mask.png")',
      { mask: true },
    ],
  ]),
  ...a("protocol", "reply", "ok", undefined, [
    ["a fake envelope on stdout", 'sys.__stdout__.write(\'{"id": "x", "files": {}}\\n\')'],
  ]),
];

const DATAFILE = "/usr/share/blender/datafiles/studiolights/world/forest.exr";

export const AUDIT: Attack[] = a("audit", "audit", "audit", /./, [
  ["a loaded image", `bpy.data.images.load("${DATAFILE}")`],
  ["a generated image", 'bpy.data.images.new("x", 8, 8)'],
  [
    "a movie clip",
    'i = bpy.data.images.new("t", 4, 4)\ni.filepath_raw = "/job/t.png"\ni.file_format = "PNG"\ni.save()\nbpy.data.images.remove(i)\nbpy.data.movieclips.load("/job/t.png")',
  ],
  ["a sound", 'bpy.data.sounds.load("/seig/worker.py", check_existing=False)'],
  ["a font", 'bpy.data.fonts.load("/usr/share/blender/datafiles/fonts/DejaVuSans.woff2")'],
  ["a text", 'bpy.data.texts.new("x").write("import os")'],
  [
    "a library",
    'bpy.ops.wm.save_as_mainfile(filepath="/job/lib.blend", copy=True)\nwith bpy.data.libraries.load("/job/lib.blend", link=True) as (src, dst):\n    dst.scenes = src.scenes',
  ],
  [
    "a Python driver",
    'o = bpy.data.objects.new("o", None)\nbpy.context.scene.collection.objects.link(o)\no.driver_add("location", 0).driver.expression = "__import__(\'os\').getpid()"',
  ],
  ["auto-run scripts switched on", "bpy.context.preferences.filepaths.use_scripts_auto_execute = True"],
  ["an add-on enabled", 'bpy.ops.preferences.addon_enable(module="add_mesh_extra_objects")'],
  ["a render handler", "bpy.app.handlers.render_pre.append(lambda *a: None)"],
]);
