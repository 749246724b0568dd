import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clevrScene } from "../src/bench/suites/clevr.ts";
import { emitProgram } from "../src/program/emit.ts";
import { validateProgram } from "../src/program/validate.ts";
import { createRandom } from "../src/random.ts";
import { call, connectSeig, images, type McpSession, text } from "./support/mcp-client.ts";

let root: string;
let outside: string;
let mcp: McpSession;
const program = emitProgram(clevrScene(createRandom(3)).spec);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "seig-mcp-root-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "seig-mcp-outside-"));
  await writeFile(path.join(root, "scene.py"), program);
  await writeFile(path.join(outside, "secret.py"), program);
  await symlink(outside, path.join(root, "escape"));
  mcp = await connectSeig(root);
});

afterAll(async () => {
  await mcp?.close();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("seig mcp over stdio, with the SDK's client", () => {
  it("lists every tool with object input and output schemas, and the reconstruct_photo prompt", async () => {
    const { tools } = await mcp.client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        "cancel_run",
        "compare_images",
        "export_scene",
        "finish_session",
        "get_scene",
        "get_stage_brief",
        "next_stage",
        "reconstruct",
        "relight",
        "render_program",
        "run_result",
        "run_status",
        "set_params",
        "start_session",
        "submit_section",
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
    }
    const render = tools.find((t) => t.name === "render_program")!;
    expect(Object.keys(render.inputSchema.properties!)).toEqual(
      expect.arrayContaining(["program", "program_path", "width", "height", "orbit_views", "out_dir"]),
    );
    expect(render.outputSchema!.required).toEqual(
      expect.arrayContaining(["images", "fingerprint", "objects"]),
    );
    const submit = tools.find((t) => t.name === "submit_section")!;
    expect(submit.inputSchema.required).toEqual(expect.arrayContaining(["session_id", "section"]));
    const { prompts } = await mcp.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("reconstruct_photo");
    const prompt = await mcp.client.getPrompt({ name: "reconstruct_photo", arguments: { photo: "p.png" } });
    expect(JSON.stringify(prompt.messages)).toContain("submit_section");
  });

  it("render_program returns a PNG of the requested size, the fingerprint and the scene's objects", async () => {
    const result = await call(mcp.client, "render_program", {
      program_path: "scene.py",
      width: 320,
      height: 240,
      samples: 4,
    });
    expect(result.isError, text(result)).toBeFalsy();
    const [png] = images(result);
    const meta = await sharp(png!).metadata();
    expect(meta).toMatchObject({ format: "png", width: 320, height: 240 });
    const out = result.structuredContent as {
      images: { path: string; width: number }[];
      fingerprint: { geometry: object } | null;
      objects: { name: string }[];
    };
    expect(out.images[0]).toMatchObject({ width: 320, height: 240 });
    expect(out.images[0]!.path.startsWith("seig-mcp/renders/")).toBe(true);
    expect(await readFile(path.join(root, out.images[0]!.path))).toEqual(png);
    expect(Object.keys(out.fingerprint!.geometry).length).toBeGreaterThan(0);
    expect(out.objects.map((o) => o.name)).toContain("camera");
  });

  it("refuses a program that imports os with the screen's message", async () => {
    const bad = program.replace("import bpy", "import bpy\nimport os");
    const screen = validateProgram(bad);
    expect(screen.ok).toBe(false);
    const result = await call(mcp.client, "render_program", { program: bad, width: 32, height: 24 });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(screen.problems[0]!.message);
    expect(text(result)).toMatch(/import of `os` is not allowed/);
  });

  it("refuses paths outside the root: '..', absolute, and through a symlink", async () => {
    for (const [arg, why] of [
      ["../secret.py", /uses "\.\."/],
      [path.join(outside, "secret.py"), /outside the workspace/],
      ["escape/secret.py", /outside the workspace/],
    ] as const) {
      const result = await call(mcp.client, "render_program", { program_path: arg, width: 32, height: 24 });
      expect(result.isError, arg).toBe(true);
      expect(text(result)).toMatch(why);
    }
    const out = await call(mcp.client, "export_scene", { program_path: "scene.py", glb: "escape/x.glb" });
    expect(out.isError).toBe(true);
    expect(text(out)).toMatch(/outside the workspace/);
  });

  it("get_scene groups PARAMS by stage; set_params writes a program inside the root", async () => {
    const scene = await call(mcp.client, "get_scene", { program_path: "scene.py" });
    const info = scene.structuredContent as {
      params_by_stage: Record<string, Record<string, unknown>>;
      lights: unknown[];
      camera: { name: string };
    };
    expect(Object.keys(info.params_by_stage)).toEqual(
      expect.arrayContaining(["geometry", "material", "composition", "lighting"]),
    );
    expect(info.params_by_stage["lighting"]).toHaveProperty("sun.strength");
    expect(info.camera.name).toBe("camera");
    expect(info.lights.length).toBeGreaterThan(0);
    const set = await call(mcp.client, "set_params", {
      program_path: "scene.py",
      values: { "sun.strength": 1.25 },
      out: "edits/brighter.py",
    });
    expect(set.isError, text(set)).toBeFalsy();
    expect(await readFile(path.join(root, "edits", "brighter.py"), "utf8")).toMatch(/"sun\.strength": 1\.25/);
  });

  it("reconstructs a tiny scene in the background: a run id at once, progress notifications, a result", async () => {
    await mkdir(path.join(root, "photos"), { recursive: true });
    const render = await call(mcp.client, "render_program", {
      program_path: "scene.py",
      width: 96,
      height: 72,
      samples: 16,
      out_dir: "photos",
    });
    expect(render.isError, text(render)).toBeFalsy();
    const started = await call(mcp.client, "reconstruct", {
      photo: "photos/render.png",
      budget: "30",
      working_side: 48,
      final_side: 96,
      scene_kind: "ground",
    });
    expect(started.isError, text(started)).toBeFalsy();
    const { run_id, status, out_dir } = started.structuredContent as {
      run_id: string;
      status: string;
      out_dir: string;
    };
    expect(status).toBe("running");
    const progress: { progress: number; message?: string }[] = [];
    const waited = await call(mcp.client, "run_status", { run_id, wait_seconds: 280 }, (p) =>
      progress.push(p),
    );
    expect((waited.structuredContent as { status: string }).status).toBe("done");
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.map((p) => p.progress)).toEqual(
      [...progress.map((p) => p.progress)].sort((a, b) => a - b),
    );
    expect(progress.some((p) => p.message?.startsWith("stage 1/4: geometry"))).toBe(true);
    // The final notification may be dropped by the client (it arrives with the reply); the reply
    // itself names the end.
    expect(text(waited)).toMatch(/: done after \d+ events; last: done in \d+ s, PSNR/);
    expect((waited.structuredContent as { last_event: { type: string } }).last_event.type).toBe("run-end");
    const res = await call(mcp.client, "run_result", { run_id });
    const out = res.structuredContent as { metrics: { psnr: number }; program: string; final_path: string };
    expect(out.metrics.psnr).toBeGreaterThan(10);
    expect(out.program).toContain("def build_lighting(P):");
    expect(await sharp(images(res)[0]!).metadata()).toMatchObject({ width: 96, height: 72 });
    const runJson = JSON.parse(await readFile(path.resolve(root, out_dir, "run.json"), "utf8"));
    expect(runJson.sceneKind).toMatchObject({ kind: "ground", source: "option" });
    const refused = await call(mcp.client, "reconstruct", {
      photo: "photos/render.png",
      scene_kind: "forest",
    });
    expect(refused.isError).toBe(true);
  });

  it("serves the same tools over Streamable HTTP on 127.0.0.1", async () => {
    const bin = fileURLToPath(new URL("../bin/seig.js", import.meta.url));
    const child = spawn(process.execPath, [bin, "mcp", "--http", "0", "--root", root, "--concurrency", "1"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (c) => {
          err += String(c);
          const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
          if (m) resolve(m[1]!);
        });
        child.once("exit", () => reject(new Error(`seig mcp --http exited: ${err}`)));
      });
      const client = new Client({ name: "seig-http-test", version: "0.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      expect((await client.listTools()).tools).toHaveLength(15);
      const result = await call(client, "render_program", {
        program_path: "scene.py",
        width: 40,
        height: 30,
        samples: 2,
      });
      expect(await sharp(images(result)[0]!).metadata()).toMatchObject({ width: 40, height: 30 });
      await client.close();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
