/** A JSON request body checked with zod: 400 with the first issue's path and message otherwise. */
import type { z } from "zod";
import { HttpError } from "./http-error.ts";

export async function jsonBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.output<T>> {
  const json = await req.json().catch(() => {
    throw new HttpError(400, "send a JSON body");
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}
