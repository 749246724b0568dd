/**
 * Idempotent job ids. The id is the work's identity — suite, scene, method, options and the
 * input's bytes — so submitting the same scene twice (a restarted submitter, a second person
 * running the same suite) finds the job already there instead of adding another.
 */
import { createHash } from "node:crypto";

/** BullMQ job ids may not contain ":" and may not be plain integers; keep them readable too. */
function safe(part: string): string {
  return part.replace(/[^\w.-]/g, "_").slice(0, 60) || "_";
}

/** A stable JSON text: object keys sorted, so option order never changes the id. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** `<suite>.<scene>.<16 hex of the hash of everything that decides the result>`. */
export function jobId(suite: string, scene: string, identity: unknown): string {
  return `${safe(suite)}.${safe(scene)}.${sha256(stableJson(identity)).slice(0, 16)}`;
}
