/** Shared by the web tests: a small generated photo, an SSE reader over fetch, a raw GET. */
import http from "node:http";
import sharp from "sharp";

/** A 96×72 "photo": a red box and a blue ball-ish blob on a grey floor under a pale sky. */
export async function smallPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="72">
    <rect width="96" height="36" fill="#c8d8e8"/><rect y="36" width="96" height="36" fill="#808080"/>
    <rect x="18" y="28" width="24" height="22" fill="#c02020"/><circle cx="66" cy="42" r="11" fill="#2040c0"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface StreamMessage {
  kind: string;
  [k: string]: unknown;
}

/** Reads `text/event-stream` messages until one of kind "end" (or the stream closes). */
export async function readEvents(
  url: string,
  onMessage?: (m: StreamMessage, atMs: number) => void,
): Promise<StreamMessage[]> {
  const started = performance.now();
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
  const messages: StreamMessage[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const data = buffer
        .slice(0, cut)
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trim())
        .join("\n");
      buffer = buffer.slice(cut + 2);
      if (data) {
        const m = JSON.parse(data) as StreamMessage;
        messages.push(m);
        onMessage?.(m, performance.now() - started);
        if (m.kind === "end") return messages;
      }
      cut = buffer.indexOf("\n\n");
    }
  }
  return messages;
}

/**
 * A hand-made run folder, quick to build (no search): the tabletop example as the scaffold, the
 * same with the red box turned blue as the material stage, the small photo as target.png, and —
 * with `method` a model spec — a state.json whose last material round carries a checklist.
 */
export async function fixtureRun(runsDir: string, id: string, method = "offline"): Promise<string> {
  const { mkdir, readFile, writeFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const dir = path.join(runsDir, id);
  const scaffold = await readFile(path.resolve("examples/tabletop/program.py"), "utf8");
  const material = scaffold.replace(
    '"red_box.color": [0.8, 0.05, 0.04]',
    '"red_box.color": [0.05, 0.15, 0.85]',
  );
  for (const [stage, source] of [
    ["scaffold", scaffold],
    ["material", material],
  ] as const) {
    await mkdir(path.join(dir, "stages", stage), { recursive: true });
    await writeFile(path.join(dir, "stages", stage, "program.py"), source);
  }
  await writeFile(path.join(dir, "program.py"), material);
  await writeFile(path.join(dir, "target.png"), await smallPhoto());
  await writeFile(
    path.join(dir, "run.json"),
    JSON.stringify({ method, image: "photo.png", status: "done", target: { width: 96, height: 72 } }),
  );
  if (method !== "offline")
    await writeFile(
      path.join(dir, "state.json"),
      JSON.stringify({
        rounds: [
          {
            stage: "material",
            round: 1,
            checklist: [{ object: "red_box", problem: "too dark", fix: "raise its value" }],
            approved: false,
          },
        ],
      }),
    );
  return dir;
}

/** A zip's entries and their text, read with yauzl (the reading half of the library that writes it). */
export async function unzipText(zip: Buffer): Promise<Map<string, string>> {
  const yauzl = await import("yauzl");
  const file = await new Promise<import("yauzl").ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const out = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    file.on("entry", (entry: import("yauzl").Entry) => {
      file.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          out.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
          file.readEntry();
        });
      });
    });
    file.on("end", () => resolve());
    file.on("error", reject);
    file.readEntry();
  });
  return out;
}

/** GET with the path sent byte for byte (no URL normalisation on the client side). */
export function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: Number(port), path: rawPath }, (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}
