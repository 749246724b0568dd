/**
 * Errors as HTTP answers: the library's typed errors keep their one-line message; input errors
 * are 400, a missing run 404, anything else 500 with the message (this is a local tool: the
 * person reading it is the one who can fix it).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isSeigError, oneLine } from "../errors.ts";

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorStatus(e: unknown): ContentfulStatusCode {
  if (e instanceof HttpError) return e.status;
  if (isSeigError(e)) return e.exitCode === 2 ? 400 : 500;
  return 500;
}

export function errorResponse(e: unknown, c: Context): Response {
  return c.json({ error: oneLine(e) }, errorStatus(e));
}
