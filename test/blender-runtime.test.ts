import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, realpath } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBlender } from "../src/blender/find.ts";
import { changesOutside, diffFingerprints } from "../src/blender/fingerprint-diff.ts";
import { BlenderPool } from "../src/blender/pool.ts";

// The fixture is a program body; the worker appends the canonical footer itself.
const body = readFileSync(new URL("./fixtures/programs/cube.py", import.meta.url), "utf8");
const small = { width: 48, height: 36, samples: 4 };

function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((l) => l.includes(needle)) + 1;
}

async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

let pool: BlenderPool;
beforeAll(async () => {
  pool = await BlenderPool.start({ size: 2 });
});
afterAll(async () => {
  await pool?.close();
});

describe("Blender worker pool", () => {
  it("renders a program and fingerprints every factor", async () => {
    const reply = await pool.run({ body, render: small });
    expect(reply.error).toBeNull();
    expect(reply.images).toHaveLength(1);
    const meta = await sharp(reply.images[0]!.path).metadata();
    expect([meta.width, meta.height]).toEqual([48, 36]);
    expect(Object.keys(reply.fingerprint!.geometry).sort()).toEqual(["cube", "ground"]);
    expect(reply.fingerprint!.lighting).toHaveProperty("sun");
    const cube = reply.objects.find((o) => o.name === "cube")!;
    expect(cube.bboxMax[2] - cube.bboxMin[2]).toBeCloseTo(1, 4);
    expect(cube.baseColor).toEqual([0.8, 0.1, 0.1]);
  });

  it("renders the same program to identical pixels twice", async () => {
    const [a, b] = await Promise.all([pool.run({ body, render: small }), pool.run({ body, render: small })]);
    expect((await pixels(a.images[0]!.path)).equals(await pixels(b.images[0]!.path))).toBe(true);
  });

  it("reports a syntax error with its line", async () => {
    const broken = body.replace("    mat.use_nodes = True", "    mat.use_nodes = = True");
    const reply = await pool.run({ body: broken });
    expect(reply.error?.kind).toBe("syntax");
    expect(reply.error?.line).toBe(lineOf(broken, "= = True"));
  });

  it("reports a runtime error with the program line", async () => {
    const broken = body.replace('P["cube.location"]', 'P["cube.nowhere"]');
    const reply = await pool.run({ body: broken });
    expect(reply.error?.kind).toBe("runtime");
    expect(reply.error?.message).toContain("KeyError");
    expect(reply.error?.line).toBe(lineOf(broken, "cube.nowhere"));
  });

  it("changes only the material fingerprint when only a colour changes", async () => {
    const a = await pool.run({ body });
    const b = await pool.run({ body, params: { "cube.color": [0.1, 0.8, 0.1] } });
    expect(diffFingerprints(a.fingerprint!, b.fingerprint!)).toEqual([
      { factor: "material", key: "cube[0]", change: "changed" },
    ]);
    const moved = await pool.run({ body, params: { "cube.location": [1, 0, 0.5] } });
    expect(changesOutside(a.fingerprint!, moved.fingerprint!, "material")).toEqual([
      { factor: "composition", key: "cube", change: "changed" },
    ]);
  });

  it("times out an infinite loop, replaces the worker, and runs the next job", async () => {
    const looping = body.replace(
      "def build_geometry(P):",
      "def build_geometry(P):\n    while True:\n        pass",
    );
    const reply = await pool.run({ body: looping }, { timeoutMs: 3000 });
    expect(reply.error?.kind).toBe("timeout");
    const next = await pool.run({ body, render: small });
    expect(next.ok).toBe(true);
  });

  it("queues more jobs than workers, even when one of them times out", async () => {
    const looping = body.replace(
      "def build_geometry(P):",
      "def build_geometry(P):\n    while True:\n        pass",
    );
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      i === 1 ? pool.run({ body: looping }, { timeoutMs: 2000 }) : pool.run({ body, render: small }),
    );
    const replies = await Promise.all(jobs);
    expect(replies.map((r) => r.ok)).toEqual([true, false, true, true, true]);
    expect(replies[1]!.error?.kind).toBe("timeout");
  });

  it("recovers when Blender is killed mid-job", async () => {
    const killer = body.replace(
      "def build_geometry(P):",
      "def build_geometry(P):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)",
    );
    const reply = await pool.run({ body: killer, skipScreen: true });
    expect(reply.error?.kind).toBe("crash");
    expect((await pool.run({ body, render: small })).ok).toBe(true);
  });
});

describe("untrusted code", () => {
  it.each([
    ["import os", "import os"],
    ["open('/etc/x', 'w')", "open"],
    ["__import__('socket')", "__import__"],
    ["bpy.data.images.load('/tmp/photo.png')", "read the target photo"],
    ["getattr(bpy, '__loader__')", "getattr"],
  ])("the screen rejects %s with its line", async (code, expected) => {
    const bad = body.replace("def compose(P):", `def compose(P):\n    ${code}`);
    const reply = await pool.run({ body: bad });
    expect(reply.error?.kind).toBe("screen");
    expect(reply.error?.message).toContain(expected);
    expect(reply.error?.line).toBe(lineOf(bad, code));
  });

  it("the sandbox blocks a write outside the job folder from code that slipped past the screen", async () => {
    // Outside /tmp: inside the sandbox /tmp is a private tmpfs, where a write would succeed unseen.
    const target = path.join(os.homedir(), `sandbox-escape-${process.pid}.txt`);
    const escaping = body.replace(
      "def compose(P):",
      `def compose(P):\n    with open(${JSON.stringify(target)}, "w") as f:\n        f.write("escaped")`,
    );
    const reply = await pool.run({ body: escaping, skipScreen: true });
    expect(reply.error?.message).toMatch(/No such file or directory|Read-only file system/);
    expect(existsSync(target)).toBe(false);
  });

  it("the sandbox blocks network connections from code that slipped past the screen", async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const connect = body.replace(
      "def compose(P):",
      `def compose(P):\n    import socket\n    socket.create_connection(("127.0.0.1", ${port}), timeout=3)`,
    );
    const reply = await pool.run({ body: connect, skipScreen: true });
    server.close();
    expect(reply.error?.kind).toBe("runtime");
    expect(reply.error?.message).toMatch(/Network is unreachable|Connection refused|OSError/);
    expect(connections).toBe(0);
  });

  it("jobs may write only inside the pool's writable folders", async () => {
    await expect(pool.run({ body, outDir: "/etc/seig" })).rejects.toThrow(
      /outside the pool.s writable folders/,
    );
    const allowed = await realpath(await mkdtemp(path.join(os.tmpdir(), "seig-out-")));
    const other = await BlenderPool.start({ size: 1, writableDirs: [allowed] });
    try {
      const reply = await other.run({ body, outDir: path.join(allowed, "v"), render: small });
      expect(reply.images[0]!.path.startsWith(allowed)).toBe(true);
      expect(existsSync(reply.images[0]!.path)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe("finding Blender", () => {
  it("fails with one line that says how to install it", async () => {
    await expect(findBlender({ PATH: "/nonexistent" })).rejects.toThrow(
      /^Blender was not found on PATH: install it/,
    );
    await expect(findBlender({ BLENDER_PATH: "/no/blender" })).rejects.toThrow(
      /BLENDER_PATH=\/no\/blender is not an executable/,
    );
  });

  it("finds a Blender ≥ 3.4", async () => {
    const found = await findBlender();
    expect(found.major * 100 + found.minor).toBeGreaterThanOrEqual(304);
  });
});
