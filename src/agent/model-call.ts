/**
 * One model question whose answer must parse: code, JSON, or both. An unusable reply (no code,
 * bad JSON, cut off) is sent back with the parse error and asked again, a few times at most.
 */
import { SeigError } from "../errors.ts";
import type { VlmClient, VlmRequest } from "../vlm/client.ts";
import { type Part, textPart } from "../vlm/message.ts";
import { looksTruncated, type Parsed } from "../vlm/parse.ts";

export type ReplyParser<T> = (text: string) => Parsed<T>;

const TRUNCATED =
  "Your reply was cut off before the end. Send the complete answer again, more concisely (shorter reasoning, no repeated code).";

/** Asks, parses and re-asks with the parse error up to `reasks` times; throws when still unusable. */
export async function askParsed<T>(
  client: VlmClient,
  request: VlmRequest,
  parse: ReplyParser<T>,
  reasks: number,
): Promise<{ value: T; text: string }> {
  let parts: readonly Part[] = request.parts;
  let lastProblem = "";
  for (let attempt = 0; attempt <= reasks; attempt++) {
    const reply = await client.complete({ ...request, parts });
    const parsed = parse(reply.text);
    // A reply that parses is used even when the provider says it hit the length limit.
    if (parsed.ok) return { value: parsed.value, text: reply.text };
    const problem = looksTruncated(reply.text, reply.finishReason) ? TRUNCATED : parsed.error.reask;
    lastProblem = parsed.error.message;
    parts = [
      ...request.parts,
      textPart(`Your previous reply could not be used:\n\n${reply.text}\n\nProblem: ${problem}`),
    ];
  }
  throw new SeigError(
    `the model's ${request.purpose} reply could not be used after ${reasks + 1} tries (${lastProblem}): try a stronger --model`,
  );
}
