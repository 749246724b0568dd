/**
 * Turning a worker's envelope into a JobReply. Everything in it is untrusted: the job's
 * process wrote the reply, so its text is validated (zod, control characters removed), its
 * id must match, it may name only the views that were asked for, and output files are
 * written by Node itself to paths Node builds inside the job's output folder.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { cleanLine, scrubJson } from "../clean-text.ts";
import {
  ChildReply,
  type JobFailure,
  type JobReply,
  type JobRequest,
  MASK_FILE,
  type WorkerEnvelope,
} from "./protocol.ts";

export const BLEND_FILE = "scene.blend";
export const GLB_FILE = "scene.glb";

/** Where Node puts a job's outputs on the host. */
export interface JobOutputs {
  outDir: string;
  blendPath?: string;
  glbPath?: string;
}

/** The worker broke the protocol: the pool fails the job and replaces the worker. */
export class ProtocolViolation extends Error {}

/** View names the job asked for, in order (one default view when none were listed). */
export function requestedViews(job: JobRequest): string[] {
  if (!job.render) return [];
  const views = job.render.views ?? [];
  return views.length ? views.map((v) => v.name) : ["render"];
}

function expectedFiles(job: JobRequest): Set<string> {
  const names = requestedViews(job).map((v) => `${v}.png`);
  if (job.saveBlend) names.push(BLEND_FILE);
  if (job.saveGlb) names.push(GLB_FILE);
  if (job.mask) names.push(MASK_FILE);
  names.push(...(job.collect ?? []));
  return new Set(names);
}

export function failedReply(id: string, kind: JobFailure["kind"], message: string): JobReply {
  return {
    id,
    ok: false,
    images: [],
    fingerprint: null,
    sections: null,
    objects: [],
    stdout: "",
    buildSeconds: 0,
    renderSeconds: 0,
    resetSeconds: 0,
    maskSeconds: 0,
    mask: null,
    blenderVersion: "",
    error: { kind, message: cleanLine(message), traceback: "", line: null },
    fallbackFrom: null,
    fallbackReason: "",
  };
}

export function parseChildReply(text: string, id: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProtocolViolation("the job's reply is not JSON");
  }
  const parsed = ChildReply.safeParse(scrubJson(json));
  if (!parsed.success) throw new ProtocolViolation("the job's reply does not match the protocol");
  if (parsed.data.id !== id) throw new ProtocolViolation("the job's reply names another job");
  return parsed.data;
}

/** Joins a name the job asked for to its folder, refusing anything that would land elsewhere. */
export function insideFolder(folder: string, name: string): string {
  const target = path.resolve(folder, name);
  if (path.dirname(target) !== path.resolve(folder)) {
    throw new ProtocolViolation(`output ${JSON.stringify(name)} would land outside the job folder`);
  }
  return target;
}

export async function writeOutput(target: string, base64: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, Buffer.from(base64, "base64"));
}

function endedWithoutReply(envelope: WorkerEnvelope): JobReply {
  if (envelope.replyOverflow) throw new ProtocolViolation("the job's reply exceeded the size cap");
  const { code, signal } = envelope.exit;
  const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
  return failedReply(envelope.id, "crash", `Blender crashed while running the program (${how})`);
}

/** Validates an envelope for `job` and writes its files; throws ProtocolViolation on forgery. */
export async function acceptEnvelope(
  envelope: WorkerEnvelope,
  job: JobRequest,
  outputs: JobOutputs,
): Promise<JobReply> {
  const expected = expectedFiles(job);
  for (const name of Object.keys(envelope.files)) {
    if (!expected.has(name)) throw new ProtocolViolation(`the worker sent a file nobody asked for`);
  }
  if (envelope.exit.timedOut) return failedReply(job.id, "timeout", "");
  if (envelope.reply === null || envelope.reply === "") return endedWithoutReply(envelope);
  const child = parseChildReply(envelope.reply, job.id);
  const views = requestedViews(job);
  if (child.images.some((name) => !views.includes(name))) {
    throw new ProtocolViolation("the job's reply names a view nobody asked for");
  }
  if (child.maskLegend !== null && !job.mask)
    throw new ProtocolViolation("the job's reply names a mask nobody asked for");
  const { maskLegend, ...rest } = child;
  const reply: JobReply = { ...rest, images: [], mask: null };
  if (reply.error) reply.error = { ...reply.error, message: cleanLine(reply.error.message) };
  for (const view of views) {
    const data = envelope.files[`${view}.png`];
    if (data === undefined) continue;
    const target = insideFolder(outputs.outDir, `${view}.png`);
    await writeOutput(target, data);
    reply.images.push({ name: view, path: target });
  }
  await writeSceneFiles(envelope, job, outputs);
  const mask = envelope.files[MASK_FILE];
  if (job.mask && maskLegend !== null && mask !== undefined) {
    const target = insideFolder(outputs.outDir, MASK_FILE);
    await writeOutput(target, mask);
    reply.mask = { path: target, legend: maskLegend };
  }
  for (const name of job.collect ?? []) {
    const data = envelope.files[name];
    if (data !== undefined) await writeOutput(insideFolder(outputs.outDir, name), data);
  }
  return completeness(reply, job, views, envelope);
}

async function writeSceneFiles(envelope: WorkerEnvelope, job: JobRequest, outputs: JobOutputs) {
  const blend = envelope.files[BLEND_FILE];
  if (job.saveBlend && blend !== undefined && outputs.blendPath) await writeOutput(outputs.blendPath, blend);
  const glb = envelope.files[GLB_FILE];
  if (job.saveGlb && glb !== undefined && outputs.glbPath) await writeOutput(outputs.glbPath, glb);
}

/** A job that says it succeeded must have delivered every file it was asked for. */
function completeness(reply: JobReply, job: JobRequest, views: string[], envelope: WorkerEnvelope): JobReply {
  if (!reply.ok) return reply;
  const missing = views.filter((v) => !reply.images.some((i) => i.name === v)).map((v) => `${v}.png`);
  if (job.saveBlend && envelope.files[BLEND_FILE] === undefined) missing.push(BLEND_FILE);
  if (job.saveGlb && envelope.files[GLB_FILE] === undefined) missing.push(GLB_FILE);
  if (job.mask && reply.mask === null) missing.push(MASK_FILE);
  if (missing.length === 0) return reply;
  const message = `the job produced no ${missing[0]} (over the size cap or never written)`;
  return { ...reply, ok: false, error: { kind: "render", message, traceback: "", line: null } };
}
