/**
 * The fresh-machine install audit (issue 11): every Python module the Blender-side runtime
 * imports must come with Blender, with Python's standard library, or from a Debian package
 * that scripts/setup.sh installs. A new `import scipy` without a setup line fails here
 * instead of on a user's fresh machine.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { findBlender } from "../src/blender/find.ts";
import { RUNTIME_PYTHON_PACKAGES } from "../src/blender/health-check.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const pythonDir = path.join(root, "src/blender/python");
/** Modules Blender itself provides (compiled in or in its scripts/modules). */
const BLENDER_OWN = new Set([
  "bpy",
  "bmesh",
  "mathutils",
  "bpy_extras",
  "gpu",
  "bl_math",
  "aud",
  "idprop",
  "imbuf",
]);

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? pythonFiles(path.join(dir, e.name))
      : e.name.endsWith(".py")
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Top-level module names of `import a.b, c as d` and `from a.b import c` (not relative imports). */
function importedModules(source: string): string[] {
  const modules = new Set<string>();
  for (const [, names] of source.matchAll(/^\s*import\s+([\w., ]+?)\s*(?:#.*)?$/gm))
    for (const name of names!.split(",")) modules.add(name.trim().split(/\s+/)[0]!.split(".")[0]!);
  for (const [, name] of source.matchAll(/^\s*from\s+([\w.]+)\s+import\b/gm))
    modules.add(name!.split(".")[0]!);
  return [...modules].filter(Boolean);
}

function setupPackages(): string[] {
  const script = readFileSync(path.join(root, "scripts/setup.sh"), "utf8");
  const list = /^packages=\(\n([\s\S]*?)^\)/m.exec(script);
  if (!list) throw new Error("scripts/setup.sh has no packages=( … ) list");
  return list[1]!
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

let blenderPath: string;
let stdlib: Set<string>;
beforeAll(async () => {
  blenderPath = (await findBlender()).path;
  // The standard library of the Python that Blender embeds, asked of Blender itself.
  const { stdout } = await run(blenderPath, [
    "-b",
    "--factory-startup",
    "--python-expr",
    "import sys, json; print('STDLIB' + json.dumps(sorted(sys.stdlib_module_names)))",
  ]);
  stdlib = new Set(JSON.parse(/^STDLIB(.*)$/m.exec(stdout)![1]!) as string[]);
});

describe("Blender-side Python imports", () => {
  it("parses the forms of import statement", () => {
    expect(
      importedModules("import a.b, c as d\nfrom e.f import g\n    import h  # why\nfrom . import i\n").sort(),
    ).toEqual(["a", "c", "e", "h"]);
  });

  it("come with Blender, the standard library, or a package setup.sh installs", () => {
    const files = pythonFiles(pythonDir);
    const local = new Set(files.map((f) => path.basename(f, ".py")));
    const packages = setupPackages();
    const problems: string[] = [];
    for (const file of files) {
      for (const module of importedModules(readFileSync(file, "utf8"))) {
        if (stdlib.has(module) || BLENDER_OWN.has(module) || local.has(module)) continue;
        const pkg = RUNTIME_PYTHON_PACKAGES[module]?.debian;
        if (!pkg)
          problems.push(`${path.relative(root, file)} imports ${module}: add it to RUNTIME_PYTHON_PACKAGES`);
        else if (!packages.includes(pkg))
          problems.push(`${module} needs ${pkg}, which scripts/setup.sh does not install`);
      }
    }
    expect(problems).toEqual([]);
    // The audit saw the import that broke fresh machines.
    expect(importedModules(readFileSync(path.join(pythonDir, "fingerprint.py"), "utf8"))).toContain("numpy");
  });

  it("setup.sh installs Blender, the sandbox and every mapped package", () => {
    const packages = setupPackages();
    expect(packages).toEqual(expect.arrayContaining(["blender", "bubblewrap", "util-linux"]));
    for (const { debian } of Object.values(RUNTIME_PYTHON_PACKAGES)) expect(packages).toContain(debian);
  });

  it("every mapped module imports in the interpreter that runs it", async () => {
    const byInterpreter = (which: string) =>
      Object.entries(RUNTIME_PYTHON_PACKAGES)
        .filter(([, p]) => p.interpreter === which)
        .map(([module]) => module);
    const check = (modules: string[]) => `import ${modules.join(", ")}; print("IMPORTED")`;
    const blender = await run(blenderPath, [
      "-b",
      "--factory-startup",
      "--python-exit-code",
      "1",
      "--python-expr",
      check(byInterpreter("blender")),
    ]);
    expect(blender.stdout).toContain("IMPORTED");
    // Debian's python3, which src/blender/seccomp.ts runs first.
    const system = await run("/usr/bin/python3", ["-c", check(byInterpreter("python3"))]);
    expect(system.stdout).toContain("IMPORTED");
  });
});
