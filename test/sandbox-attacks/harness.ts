/**
 * The attack suite's harness. Attacks prove success only by leaving a harmless marker: a
 * file in a host folder the test planted (world-writable, so only the sandbox can stop
 * it), a connection to a listener the test started (TCP, unix socket, abstract socket),
 * or a planted secret token showing up in anything the job hands back. Nothing is damaged:
 * the "photo" and the secret are test files in a temporary folder.
 */
import { createHash, randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import type { JobReply } from "../../src/blender/protocol.ts";

export interface Canary {
  dir: string;
  markers: string;
  secret: string;
  token: string;
  runDir: string;
  photo: string;
  photoHash: string;
  port: number;
  socket: string;
  abstract: string;
  connections: () => number;
  close: () => Promise<void>;
}

async function listen(server: Server, where: number | string): Promise<void> {
  await new Promise<void>((resolve) =>
    typeof where === "number" ? server.listen(where, "127.0.0.1", resolve) : server.listen(where, resolve),
  );
}

export async function plantCanary(): Promise<Canary> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "seig-attack-"));
  await chmod(dir, 0o755);
  const markers = path.join(dir, "markers");
  await mkdir(markers, { mode: 0o777 });
  await chmod(markers, 0o777);
  const token = `SEIGSECRET${randomBytes(12).toString("hex")}`;
  const secret = path.join(dir, "secret.env");
  await writeFile(secret, `API_KEY=${token}\n`, { mode: 0o644 });
  const runDir = path.join(dir, "run");
  await mkdir(runDir, { mode: 0o777 });
  await chmod(runDir, 0o777);
  const photo = path.join(runDir, "target.png");
  await writeFile(photo, Buffer.from(`PNG-STAND-IN ${token}`), { mode: 0o666 });
  let count = 0;
  const servers = [0, 1, 2].map(() =>
    createServer((s) => {
      count++;
      s.end();
    }),
  );
  await listen(servers[0]!, 0);
  const socket = path.join(dir, "host.sock");
  await listen(servers[1]!, socket);
  await chmod(socket, 0o777);
  const abstract = `seig-attack-${token.slice(-8)}`;
  await listen(servers[2]!, `\0${abstract}`);
  const port = (servers[0]!.address() as { port: number }).port;
  const udp = createSocket("udp4", () => count++);
  await new Promise<void>((resolve) => udp.bind(port, "127.0.0.1", resolve));
  return {
    dir,
    markers,
    secret,
    token,
    runDir,
    photo,
    photoHash: await hashFile(photo),
    port,
    socket,
    abstract,
    connections: () => count,
    close: async () => {
      for (const s of servers) s.close();
      udp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function hashFile(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** Evidence that an attack got through: markers, connections, a changed photo, a leaked token. */
export async function escapes(canary: Canary, reply: JobReply, before: number): Promise<string[]> {
  const found: string[] = [];
  const markers = await readdir(canary.markers);
  if (markers.length) found.push(`markers left: ${markers.join(", ")}`);
  if (canary.connections() !== before) found.push("a listener was reached");
  if ((await hashFile(canary.photo)) !== canary.photoHash) found.push("the photo was changed");
  const files = await Promise.all(reply.images.map((i) => readFile(i.path).catch(() => Buffer.alloc(0))));
  const everything = JSON.stringify(reply) + files.map((f) => f.toString("latin1")).join("");
  if (everything.includes(canary.token)) found.push("the secret token is in the job's output");
  return found;
}

/** Substitutes the canary's paths into an attack and wraps it in a scene program body. */
export function attackProgram(code: string, canary: Canary, moduleLevel = ""): string {
  const values: Record<string, string | number> = {
    MARKERS: canary.markers,
    SECRET: canary.secret,
    RUN: canary.runDir,
    PHOTO: canary.photo,
    PORT: canary.port,
    SOCK: canary.socket,
    ABSTRACT: canary.abstract,
    HOME: os.homedir(),
    CWD: process.cwd(),
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (m, k: string) => String(values[k] ?? m));
  const indented = fill(code)
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `import bpy, math, random
PARAMS = {}
${fill(moduleLevel)}
# --- seig:geometry ---
def build_geometry(P):
${indented}
# --- seig:material ---
def build_materials(P):
    pass
# --- seig:composition ---
def compose(P):
    cam = bpy.data.objects.new("camera", bpy.data.cameras.new("camera"))
    bpy.context.scene.collection.objects.link(cam)
    cam.location = (0, -5, 1)
    bpy.context.scene.camera = cam
# --- seig:lighting ---
def build_lighting(P):
    pass
`;
}
