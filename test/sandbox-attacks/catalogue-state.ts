/**
 * State a job could leave behind for the next job on the same worker. Each route is tried
 * by a polluting job and then checked by a probe job on the same worker (the suite's pool
 * has one worker); the probe prints CLEAN only when nothing of the pollution is visible.
 */
export interface StateRoute {
  name: string;
  pollute: string;
  /** Python expression that is True when the route is clean. */
  clean: string;
}

export const STATE_ROUTES: StateRoute[] = [
  {
    name: "module attributes",
    pollute: "import math\nmath.seig_flag = 1",
    clean: 'not hasattr(__import__("math"), "seig_flag")',
  },
  {
    name: "sys.modules entries",
    pollute: 'sys.modules["seig_evil"] = sys',
    clean: '"seig_evil" not in sys.modules',
  },
  {
    name: "builtins",
    pollute: "import builtins\nbuiltins.seig_flag = 1",
    clean: 'not hasattr(__import__("builtins"), "seig_flag")',
  },
  { name: "sys.path", pollute: 'sys.path.insert(0, "/tmp/evil")', clean: '"/tmp/evil" not in sys.path' },
  {
    name: "bpy.ops replaced by a proxy",
    pollute: "bpy.ops = object()",
    clean: 'type(bpy.ops).__name__ != "object"',
  },
  {
    name: "bpy.ops.wm.read_factory_settings replaced",
    pollute: "bpy.ops.wm.read_factory_settings = None",
    clean: "bpy.ops.wm.read_factory_settings is not None",
  },
  {
    name: "app handlers",
    pollute: "bpy.app.handlers.depsgraph_update_pre.append(lambda *a: None)",
    clean: "len(bpy.app.handlers.depsgraph_update_pre) == 0",
  },
  {
    name: "preferences",
    pollute: "bpy.context.preferences.edit.undo_steps = 3",
    clean: "bpy.context.preferences.edit.undo_steps != 3",
  },
  {
    name: "add-ons",
    pollute: 'bpy.ops.preferences.addon_enable(module="add_mesh_extra_objects")',
    clean: '"add_mesh_extra_objects" not in bpy.context.preferences.addons',
  },
  {
    name: "random state",
    pollute: "random.seed(99)\nimport random as r2\nr2.random()",
    clean: 'FIRST_RANDOM != __import__("random").Random(99).random()',
  },
  {
    name: "scene data",
    pollute: 'bpy.context.scene.collection.objects.link(bpy.data.objects.new("left", None))',
    clean: "OBJECTS_AT_START == 0",
  },
  {
    name: "files in /job, /tmp and /dev/shm",
    pollute: 'for d in ("/job", "/tmp", "/dev/shm"):\n    open(d + "/left", "w").write("x")',
    clean: 'not any(os.path.exists(d + "/left") for d in ("/job", "/tmp", "/dev/shm"))',
  },
  {
    name: "a lingering background process",
    pollute:
      'if os.fork() == 0:\n    os.setsid()\n    time.sleep(3)\n    open("/job/late", "w").write("x")\n    os._exit(0)',
    clean: 'time.sleep(3.5) or not os.path.exists("/job/late")',
  },
  { name: "working directory", pollute: 'os.chdir("/tmp")', clean: 'os.getcwd() == "/job"' },
  {
    name: "environment",
    pollute: 'os.environ["PYTHONPATH"] = "/tmp/evil"',
    clean: '"PYTHONPATH" not in os.environ',
  },
  {
    name: "lowered rlimits",
    pollute: "import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))",
    clean: '__import__("resource").getrlimit(__import__("resource").RLIMIT_NOFILE)[0] == 1024',
  },
];

/** The probe's module level: facts taken before build() clears the scene. */
export const PROBE_MODULE_LEVEL = `import random as _r
FIRST_RANDOM = _r.random()
OBJECTS_AT_START = len(bpy.data.objects)`;
