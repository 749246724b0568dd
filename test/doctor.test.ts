import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBlender } from "../src/blender/find.ts";
import { diagnose } from "../src/blender/health-check.ts";
import { BlenderNotFoundError, SeigError } from "../src/errors.ts";
import { runSeig } from "./support/run-cli.ts";

// A Blender whose Python cannot see dist-packages: the fresh Debian machine of issue 11,
// where `import numpy` in the worker fails, reproduced on a machine that has numpy. It is a
// shell script, which the sandbox cannot run (it mounts no shell and no /usr/bin), so these
// cases test-render unsandboxed; the sandboxed probe is the first case, and the real
// numpy-less machine is CI's fresh-root check (scripts/fresh-root-check.sh).
let dir: string;
let blenderWithoutNumpy: string;
beforeAll(async () => {
  const blender = await findBlender();
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-doctor-"));
  blenderWithoutNumpy = path.join(dir, "blender");
  const hide = "import sys; sys.path[:] = [p for p in sys.path if not p.endswith('-packages')]";
  await writeFile(blenderWithoutNumpy, `#!/bin/sh\nexec ${blender.path} --python-expr "${hide}" "$@"\n`);
  await chmod(blenderWithoutNumpy, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("seig doctor", () => {
  it("is green only after a sandboxed worker rendered a test scene", async () => {
    const result = await runSeig(["doctor"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok +render +a sandboxed worker rendered a test scene in [\d.]+ s$/m);
  });

  it("exits 1 with the cause and the fix when the worker cannot import numpy", async () => {
    const result = await runSeig(["doctor", "--unsafe-no-sandbox"], { BLENDER_PATH: blenderWithoutNumpy });
    expect(result.code).toBe(1);
    // The binary itself runs, so only the real worker start reveals the problem.
    expect(result.stdout).toMatch(/^ok +blender /m);
    expect(result.stdout).toMatch(/^FAIL +render +Blender's Python lacks numpy/m);
    expect(result.stderr.trim()).toBe(
      "seig doctor: a reconstruction will not start: Blender's Python lacks numpy: run `apt-get install -y python3-numpy` (or bash scripts/setup.sh)",
    );
  });

  it("reports JSON with the failed render check", async () => {
    const result = await runSeig(["doctor", "--json", "--unsafe-no-sandbox"], {
      BLENDER_PATH: blenderWithoutNumpy,
    });
    expect(result.code).toBe(1);
    const render = (JSON.parse(result.stdout) as { name: string; ok: boolean }[]).find(
      (c) => c.name === "render",
    );
    expect(render).toMatchObject({ ok: false, required: true });
  });
});

describe("health-check diagnosis", () => {
  it("names the Debian package of a missing Python module", () => {
    expect(
      diagnose(
        new SeigError(
          "Blender worker failed to start: ... | ModuleNotFoundError: No module named 'scipy.ndimage'",
        ),
      ),
    ).toEqual({
      cause: "Blender's Python lacks scipy",
      fix: "run `apt-get install -y python3-scipy` (or bash scripts/setup.sh)",
    });
  });

  it("tells the system python3's seccomp bindings from Blender's modules", () => {
    const filter = new SeigError(
      "the sandbox's syscall filter could not be built (ModuleNotFoundError: No module named 'seccomp'): install libseccomp's Python bindings (apt-get install -y python3-seccomp), or pass --unsafe-no-sandbox",
    );
    expect(diagnose(filter)).toEqual({
      cause: "the system python3 lacks seccomp",
      fix: "run `apt-get install -y python3-seccomp` (or bash scripts/setup.sh)",
    });
  });

  it("says how to install Blender and bubblewrap", () => {
    expect(diagnose(new BlenderNotFoundError("Blender was not found on PATH: install it")).fix).toContain(
      "apt-get install -y blender",
    );
    const noBwrap = new SeigError(
      "no sandbox for untrusted scene programs: bubblewrap is not installed (apt-get install -y bubblewrap); or pass --unsafe-no-sandbox to run without one",
    );
    expect(diagnose(noBwrap).fix).toBe("run `apt-get install -y bubblewrap` (or bash scripts/setup.sh)");
  });

  it("keeps an unknown failure to one line", () => {
    const { cause } = diagnose(new Error("the test render failed (render: out of memory)\nsecond line"));
    expect(cause).toBe("the test render failed (render: out of memory)");
  });
});
