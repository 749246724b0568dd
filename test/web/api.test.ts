/**
 * Every endpoint of `seig serve`, against the real server (Hono on node), the real library and a
 * real Blender pool, at tiny sizes: upload checks, a run followed over SSE to its end, run list
 * and detail, PARAMS, re-render, save, relight, glTF export, cancel, file-serving safety, token.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/web/serve.ts";
import type { ParamRow, RenderReply, RunDetail, RunSummary } from "../../src/web/wire.ts";
import { rawGet, readEvents, smallPhoto } from "./helpers.ts";

let dir: string;
let server: RunningServer;
let base: string;
let runId: string;
const tiny = { budget: "12", workingSide: "32", finalSide: "64", finalSamples: "4" };

function form(photo: Blob, name: string, fields: Record<string, string> = tiny): FormData {
  const f = new FormData();
  f.append("photo", photo, name);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-web-"));
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    runsDir: path.join(dir, "runs"),
    pool: { size: 1 },
  });
  base = server.url.replace(/\/$/, "");
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

// Runs on a loaded 2-core machine took up to ~85 s; the default 120 s is too close.
describe("seig serve API", { timeout: 300_000 }, () => {
  it("refuses a non-image, an unsupported type and an oversize photo before starting anything", async () => {
    const text = new Blob(["not a picture"], { type: "image/png" });
    const fake = await fetch(`${base}/api/runs`, { method: "POST", body: form(text, "fake.png") });
    expect(fake.status).toBe(400);
    expect((await fake.json()).error).toMatch(/fake\.png/);
    const pdf = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob(["%PDF"], { type: "application/pdf" }), "a.pdf"),
    });
    expect(pdf.status).toBe(415);
    const big = new Blob([new Uint8Array(13 * 1024 * 1024)], { type: "image/png" });
    const huge = await fetch(`${base}/api/runs`, { method: "POST", body: form(big, "big.png") });
    expect(huge.status).toBe(413);
    const badField = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "p.png", {
        budget: "-3",
      }),
    });
    expect(badField.status).toBe(400);
    const badKind = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "p.png", {
        sceneKind: "forest",
      }),
    });
    expect(badKind.status).toBe(400);
    expect((await badKind.json()).error).toMatch(/^sceneKind: .*auto.*closeup/);
    expect(await (await fetch(`${base}/api/runs`)).json()).toEqual([]);
  });

  it("starts a run from an upload and streams its progress over SSE to the end", async () => {
    const res = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "scene.png", {
        ...tiny,
        sceneKind: "ground",
      }),
    });
    expect(res.status).toBe(201);
    runId = ((await res.json()) as { id: string }).id;
    const messages = await readEvents(`${base}/api/runs/${runId}/events`);
    const events = messages.filter((m) => m.kind === "event").map((m) => (m.event as { type: string }).type);
    expect(events[0]).toBe("run-start");
    expect(events).toContain("stage-start");
    expect(events.at(-1)).toBe("run-end");
    expect(messages.some((m) => m.kind === "best" && String(m.image).includes("/stages/"))).toBe(true);
    expect(messages.at(-1)).toEqual({ kind: "end", status: "done" });
    const runJson = JSON.parse(await readFile(path.join(dir, "runs", runId, "run.json"), "utf8"));
    expect(runJson.sceneKind).toMatchObject({ kind: "ground", source: "option" });
    // A late reader gets the whole stream again, from the start.
    const again = await readEvents(`${base}/api/runs/${runId}/events`);
    const eventsOf = (ms: typeof messages) => ms.filter((m) => m.kind === "event");
    expect(eventsOf(again)).toEqual(eventsOf(messages));
  });

  it("lists runs and shows one with its stages, metrics and downloads", async () => {
    const list = (await (await fetch(`${base}/api/runs`)).json()) as RunSummary[];
    expect(list.map((r) => r.id)).toEqual([runId]);
    expect(list[0]).toMatchObject({ status: "done", method: "offline", live: true });
    expect(list[0]!.psnr).toBeGreaterThan(5);
    const detail = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as RunDetail;
    expect(detail.stages.map((s) => s.name)).toEqual([
      "scaffold",
      "geometry",
      "material",
      "composition",
      "lighting",
    ]);
    expect(detail.files.map((f) => f.name)).toContain("program.py");
    const program = await fetch(`${base}${detail.files.find((f) => f.name === "program.py")!.url}&download`);
    expect(program.headers.get("content-disposition")).toMatch(/attachment; filename="program.py"/);
    expect(await program.text()).toContain("PARAMS = {");
    const target = await fetch(`${base}${detail.target}`);
    expect(target.headers.get("content-type")).toBe("image/png");
    expect((await fetch(`${base}/api/runs/no-such-run`)).status).toBe(404);
    expect((await fetch(`${base}/api/runs/.uploads`)).status).toBe(400);
  });

  it("re-renders with changed PARAMS, relights, saves the edit and exports glTF", async () => {
    const rows = (await (await fetch(`${base}/api/runs/${runId}/params`)).json()) as ParamRow[];
    const colour = rows.find((r) => r.key.endsWith(".color") && r.owners.includes("material"))!;
    expect(colour).toBeDefined();
    const size = { width: 64, height: 48, samples: 2 };
    const before = (await (await post(`/api/runs/${runId}/render`, { ...size })).json()) as RenderReply;
    const after = (await (
      await post(`/api/runs/${runId}/render`, { ...size, params: { [colour.key]: "#00ff00" } })
    ).json()) as RenderReply;
    const pixels = async (url: string) =>
      sharp(Buffer.from(await (await fetch(`${base}${url}`)).arrayBuffer()))
        .raw()
        .toBuffer();
    expect(Buffer.compare(await pixels(before.image), await pixels(after.image))).not.toBe(0);
    expect(after.seconds).toBeGreaterThan(0);
    const relit = await post(`/api/runs/${runId}/relight`, { sky: "sunset" });
    expect(relit.status).toBe(200);
    expect(((await relit.json()) as RenderReply).image).toMatch(/\/web\/render-/);
    const saved = await post(`/api/runs/${runId}/save`, { params: { [colour.key]: "#00ff00" } });
    expect(saved.status).toBe(201);
    const programUrl = ((await saved.json()) as { program: string }).program;
    expect(await (await fetch(`${base}${programUrl}`)).text()).toMatch(/0\.0, 1\.0, 0\.0|0, 1, 0/);
    const glb = await fetch(`${base}/api/runs/${runId}/scene.glb`);
    expect(glb.headers.get("content-type")).toBe("model/gltf-binary");
    expect(
      Buffer.from(await glb.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("glTF");
    expect((await post(`/api/runs/${runId}/render`, { width: 5 })).status).toBe(400);
    expect((await fetch(`${base}/api/runs/${runId}/render`, { method: "POST", body: "{" })).status).toBe(400);
    expect((await post(`/api/runs/${runId}/relight`, { sky: "disco" })).status).toBe(400);
  });

  it("serves files only from inside the run folder", async () => {
    const outside = path.join(dir, "secret.txt");
    await writeFile(outside, "secret");
    const runFolder = path.join(dir, "runs", runId);
    await symlink(outside, path.join(runFolder, "link.txt"));
    // Raw request paths: fetch would normalise "..", "%2e%2e" away before the server saw them.
    for (const evil of [
      "..%2F..%2Fsecret.txt",
      "%2e%2e/%2e%2e/secret.txt",
      "../../secret.txt",
      "link.txt",
      "%2Fetc%2Fpasswd",
    ]) {
      const res = await rawGet(base, `/files/${runId}/${evil}`);
      expect(res.body, evil).not.toBe("secret");
      expect(res.body, evil).not.toMatch(/root:/);
    }
    for (const evil of [
      "/assets/../../../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/..%2F..%2Fpackage.json",
    ])
      expect((await rawGet(base, evil)).body, evil).not.toMatch(/"name": "seig"/);
    expect((await fetch(`${base}/files/${runId}/link.txt`)).status).toBe(403);
    expect((await rawGet(base, `/files/${runId}/..%2F..%2Fsecret.txt`)).status).toBe(403);
    expect((await fetch(`${base}/files/..%2F${runId}/run.json`)).status).toBe(400);
    expect((await fetch(`${base}/files/${runId}/run.json`)).status).toBe(200);
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
  });

  it("cancels a running run; its folder keeps what was done", async () => {
    const res = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "long.png", {
        ...tiny,
        budget: "2000",
      }),
    });
    const { id } = (await res.json()) as { id: string };
    let cancelled: Promise<Response> | null = null;
    const messages = await readEvents(`${base}/api/runs/${id}/events`, (m) => {
      // Cancelled at once: a stop must work mid-scaffold too, and it keeps the test cheap.
      if (!cancelled && m.kind === "event")
        cancelled = fetch(`${base}/api/runs/${id}/cancel`, { method: "POST" });
    });
    expect(await (await cancelled!).json()).toEqual({ id, status: "interrupted" });
    expect(messages.at(-1)).toEqual({ kind: "end", status: "interrupted" });
    const list = (await (await fetch(`${base}/api/runs`)).json()) as RunSummary[];
    expect(list.find((r) => r.id === id)?.status ?? "not a run yet").not.toBe("running");
    expect((await fetch(`${base}/api/runs/${id}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await fetch(`${base}/api/runs/nope/cancel`, { method: "POST" })).status).toBe(404);
  });

  it("resumes a run cancelled after its scaffold to done; refuses to resume a finished or unknown run", async () => {
    const res = await fetch(`${base}/api/runs`, {
      method: "POST",
      body: form(new Blob([new Uint8Array(await smallPhoto())], { type: "image/png" }), "resume.png", {
        ...tiny,
        budget: "200",
      }),
    });
    const { id } = (await res.json()) as { id: string };
    let cancelled: Promise<Response> | null = null;
    await readEvents(`${base}/api/runs/${id}/events`, (m) => {
      // After the scaffold, so there is a checkpoint to continue from.
      if (!cancelled && m.kind === "event" && (m.event as { type: string }).type === "stage-start")
        cancelled = fetch(`${base}/api/runs/${id}/cancel`, { method: "POST" });
    });
    expect(await (await cancelled!).json()).toEqual({ id, status: "interrupted" });
    const resumed = await fetch(`${base}/api/runs/${id}/resume`, { method: "POST" });
    expect(resumed.status).toBe(202);
    const messages = await readEvents(`${base}/api/runs/${id}/events`);
    expect(messages.at(-1)).toEqual({ kind: "end", status: "done" });
    expect(
      messages.some((m) => m.kind === "event" && (m.event as { type: string }).type === "stage-end"),
    ).toBe(true);
    const detail = (await (await fetch(`${base}/api/runs/${id}`)).json()) as { status: string };
    expect(detail.status).toBe("done");
    const again = await fetch(`${base}/api/runs/${id}/resume`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/already finished/);
    expect((await fetch(`${base}/api/runs/nope/resume`, { method: "POST" })).status).toBe(404);
  });

  it("requires the printed token on a non-loopback host", async () => {
    const runs = path.join(dir, "runs2");
    await mkdir(runs);
    const open = await startServer({ port: 0, host: "127.0.0.2", runsDir: runs });
    try {
      expect(open.token).toMatch(/^[\w-]{20,}$/);
      const root = open.url.replace(/\/\?token=.*/, "");
      expect((await fetch(`${root}/api/runs`)).status).toBe(401);
      expect((await fetch(`${root}/api/runs`, { headers: { authorization: "Bearer wrong" } })).status).toBe(
        401,
      );
      expect(
        (await fetch(`${root}/api/runs`, { headers: { authorization: `Bearer ${open.token}` } })).status,
      ).toBe(200);
      const withQuery = await fetch(`${root}/api/runs?token=${open.token}`);
      expect(withQuery.headers.get("set-cookie")).toMatch(/seig_token=/);
      expect(await readFile(path.join(runs, "..", "runs2"), "utf8").catch(() => "dir")).toBe("dir");
    } finally {
      await open.close();
    }
  });
});
