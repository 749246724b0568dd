/**
 * POST /api/runs/:id/edit against the model test double used by test/edit.test.ts: a localhost
 * server speaking the providers' wire protocol, scripted to recolour the object an instruction
 * names. The real server, library and Blender pool do the rest: the page's hand edits are applied
 * first, the edit lands in its own folder under <run>/edits/, and a refused edit is a clear 422.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProgram } from "../../src/program/parse.ts";
import { type RunningServer, startServer } from "../../src/web/serve.ts";
import type { EditReply, ServerConfig } from "../../src/web/wire.ts";
import { createEditOracle } from "../support/edit-oracle.ts";
import { type FakeProviders, startFakeProviders } from "../support/fake-providers.ts";
import { fixtureRun } from "./helpers.ts";

let dir: string;
let runs: string;
let fake: FakeProviders;
let server: RunningServer;
let base: string;
let refusing = false;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-web-edit-"));
  runs = path.join(dir, "runs");
  const run = await fixtureRun(runs, "tabletop");
  // The run's program is the scaffold's: the red box is still red.
  await copyFile(path.join(run, "stages", "scaffold", "program.py"), path.join(run, "program.py"));
  const approving = createEditOracle({});
  const refusingOracle = createEditOracle({ refuses: true });
  fake = await startFakeProviders((request) => (refusing ? refusingOracle : approving).handler(request));
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    runsDir: runs,
    pool: { size: 1 },
    editModel: "openai:gpt-4o",
    env: { OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.baseURLs.openai },
  });
  base = server.url.replace(/\/$/, "");
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

function edit(body: unknown, id = "tabletop"): Promise<Response> {
  return fetch(`${base}/api/runs/${id}/edit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("seig serve: edit by instruction", { timeout: 300_000 }, () => {
  it("offers the configured model", async () => {
    const config = (await (await fetch(`${base}/api/config`)).json()) as ServerConfig;
    expect(config).toEqual({ editModel: "openai:gpt-4o", editUnavailable: null });
  });

  it("runs edit on the run's program with the hand edits applied first, into its own folder", async () => {
    const res = await edit({ instruction: "make the red box blue", params: { "red_box.roughness": 0.9 } });
    expect(res.status).toBe(201);
    const reply = (await res.json()) as EditReply;
    expect(reply.stage).toBe("material");
    expect(reply.usage).toMatch(/3 calls/);
    expect(reply.program).toMatch(/^\/files\/tabletop\/edits\/edit-[^/]+\/program\.py\?v=/);
    const program = await (await fetch(`${base}${reply.program}`)).text();
    const params = parseProgram(program).params;
    expect(params["red_box.color"]).toEqual([0.05, 0.15, 0.85]);
    expect(params["red_box.roughness"]).toBe(0.9);
    for (const image of [reply.before, reply.after]) {
      const png = await fetch(`${base}${image}`);
      expect(png.headers.get("content-type")).toBe("image/png");
      expect((await png.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    // The run's own program is untouched.
    const run = await (await fetch(`${base}/files/tabletop/program.py`)).text();
    expect(parseProgram(run).params["red_box.color"]).toEqual([0.8, 0.05, 0.04]);
  });

  it("answers 422 with the reason when the verifier does not accept the edit", async () => {
    refusing = true;
    try {
      const res = await edit({ instruction: "make the red box blue", attempts: 1 });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(/was not carried out after 1 attempt/);
    } finally {
      refusing = false;
    }
  });

  it("refuses bad requests before any model call", async () => {
    const calls = fake.requests.length;
    expect((await edit({})).status).toBe(400);
    expect((await edit({ instruction: "blue", attempts: 99 })).status).toBe(400);
    expect((await edit({ instruction: "blue", params: { k: { nested: true } } })).status).toBe(400);
    const notJson = await fetch(`${base}/api/runs/tabletop/edit`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    expect((await edit({ instruction: "make it blue" }, "nope")).status).toBe(404);
    expect((await edit({ instruction: "make it blue" }, "..%2Ftabletop")).status).toBe(400);
    expect(fake.requests.length).toBe(calls);
  });
});
