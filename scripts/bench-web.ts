/**
 * Measures the web app (issue 16): time from upload to the first progress event, re-render latency
 * after a PARAMS change at 320×240 (warm pool, the samples the page uses), the page's weight, the
 * live best render's first arrival, and a stage timeline card's first (rendering) and cached view.
 *
 *   npx tsx scripts/bench-web.ts [photo.png] [--workers 2] [--budget 200] [--renders 5] [--cold]
 */
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { startServer } from "../src/web/serve.ts";
import { CLIENT_DIST } from "../src/web/static.ts";
import type { ParamRow, RenderReply, StageDetail } from "../src/web/wire.ts";
import { PREVIEW_SAMPLES } from "../web/src/api.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function pageWeight(): Promise<{ files: number; bytes: number; gzip: number }> {
  const files = [path.join(CLIENT_DIST, "index.html")];
  for (const f of await readdir(path.join(CLIENT_DIST, "assets")))
    files.push(path.join(CLIENT_DIST, "assets", f));
  let bytes = 0;
  let gzip = 0;
  for (const f of files) {
    const data = await readFile(f);
    bytes += data.length;
    gzip += gzipSync(data).length;
  }
  return { files: files.length, bytes, gzip };
}

/**
 * Milliseconds from the request until the SSE stream's first message, until the first live best
 * render (a `best` event between stage ends), and until its end; and how many live renders came.
 */
async function followRun(
  base: string,
  id: string,
  sentAt: number,
): Promise<{ first: number; firstLive: number; live: number; done: number }> {
  const res = await fetch(`${base}/api/runs/${id}/events`);
  let first = -1;
  let firstLive = -1;
  let text = "";
  for await (const chunk of res.body!) {
    if (first < 0) first = performance.now() - sentAt;
    text += Buffer.from(chunk as Uint8Array).toString();
    if (firstLive < 0 && text.includes("/live/best.png")) firstLive = performance.now() - sentAt;
    if (text.includes('"kind":"end"')) break;
  }
  const live = text.split("\n").filter((l) => l.includes('"kind":"best"') && l.includes("/live/")).length;
  return { first, firstLive, live, done: performance.now() - sentAt };
}

const photo =
  process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "examples/photos/tabletop.png";
const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  runsDir: path.join(os.tmpdir(), `seig-bench-web-${process.pid}`),
  pool: { size: arg("workers", 2) },
  // As `seig serve` does: the workers start with the server, not with the first run.
  warmPool: !process.argv.includes("--cold"),
});
// Measured from a started pool unless --cold (what a person meets after `seig serve` is up).
if (!process.argv.includes("--cold")) await server.pool.get();
const base = server.url.replace(/\/$/, "");
try {
  const form = new FormData();
  form.append(
    "photo",
    new Blob([new Uint8Array(await readFile(photo))], { type: "image/png" }),
    path.basename(photo),
  );
  form.append("budget", String(arg("budget", 200)));
  const sentAt = performance.now();
  const { id } = (await (await fetch(`${base}/api/runs`, { method: "POST", body: form })).json()) as {
    id: string;
  };
  const run = await followRun(base, id, sentAt);
  console.log(
    `upload → first progress event: ${run.first.toFixed(0)} ms (${process.argv.includes("--cold") ? "cold" : "warm"} pool; run done after ${(run.done / 1000).toFixed(1)} s)`,
  );
  console.log(
    `live best render: ${run.live} updates, the first ${(run.firstLive / 1000).toFixed(1)} s after the upload`,
  );
  for (const pass of ["first view (renders at the photo's size, measures)", "again (kept)"]) {
    const t = performance.now();
    const res = await fetch(`${base}/api/runs/${id}/stages/lighting`);
    if (!res.ok) throw new Error(`stage detail: HTTP ${res.status} ${await res.text()}`);
    const detail = (await res.json()) as StageDetail;
    console.log(
      `stage timeline card, lighting at ${detail.metrics.width}×${detail.metrics.height}, ${pass}: ${(performance.now() - t).toFixed(0)} ms`,
    );
  }

  const rows = (await (await fetch(`${base}/api/runs/${id}/params`)).json()) as ParamRow[];
  const colour = rows.find((r) => /colou?r$/.test(r.key) && r.owners.includes("material"))!;
  const times: number[] = [];
  const server_: number[] = [];
  for (let i = 0; i < arg("renders", 5); i++) {
    const hex = `#${((i * 0x3f5a17) & 0xffffff).toString(16).padStart(6, "0")}`;
    const t = performance.now();
    const res = await fetch(`${base}/api/runs/${id}/render`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        params: { [colour.key]: hex },
        width: 320,
        height: 240,
        samples: PREVIEW_SAMPLES,
      }),
    });
    const reply = (await res.json()) as RenderReply;
    await (await fetch(`${base}${reply.image}`)).arrayBuffer();
    times.push(performance.now() - t);
    server_.push(reply.seconds * 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `re-render after a colour change at 320×240, ${PREVIEW_SAMPLES} samples (${times.length}×): median ${sorted[sorted.length >> 1]!.toFixed(0)} ms, ` +
      `min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} (server-side render ${server_.map((s) => s.toFixed(0)).join("/")} ms)`,
  );
  const w = await pageWeight();
  console.log(
    `page weight: ${w.files} files, ${(w.bytes / 1024).toFixed(0)} KiB (${(w.gzip / 1024).toFixed(0)} KiB gzipped)`,
  );
  console.log(
    `load average now: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; cores ${os.availableParallelism()}`,
  );
} finally {
  await server.close();
}
