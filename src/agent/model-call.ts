/**
 * One model question whose answer must parse: code, JSON, or both. An unusable reply (no code,
 * bad JSON, cut off) is sent back with the parse error and asked again, a few times at most.
 */
import { SeigError } from "../errors.ts";
import type { VlmClient, VlmRequest } from "../vlm/client.ts";
import { type Part, textPart } from "../vlm/message.ts";
import { looksTruncated, type Parsed } from "../vlm/parse.ts";

export type ReplyParser<T> = (text: string) => Parsed<T>;

/** At most this many characters of an unusable reply go back to the model: enough to see the mistake. */
export const EXCERPT_CHARS = 2000;

/**
 * The start and the end of a long reply with the middle left out: where a reply goes wrong is
 * usually visible at one of its ends (prose instead of code, a cut-off block), and a 200 KB reply
 * pasted back whole would cost more than the call it repairs.
 */
export function replyExcerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  return `${text.slice(0, head)}\n[... ${text.length - max} characters left out ...]\n${text.slice(-tail)}`;
}

/** The re-ask that follows an unusable reply. */
export function reaskText(reply: string, problem: string): string {
  return `Your previous reply could not be used (an excerpt of it):\n\n${replyExcerpt(reply)}\n\nProblem: ${problem}`;
}

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
    parts = [...request.parts, textPart(reaskText(reply.text, problem))];
  }
  throw new SeigError(
    `the model's ${request.purpose} reply could not be used after ${reasks + 1} tries (${lastProblem}): try a stronger --model`,
  );
}
