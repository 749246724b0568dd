/**
 * The request as the provider receives it, turned back into the trace's shape (system prompt,
 * labelled images, text hash). Read from the SDK's converted prompt inside the middleware, so a
 * live call and a replayed one are described by the same conversion path (toUserMessage → the
 * SDK → here), and a replay compares what a provider would really have been sent.
 */
import type { SdkPrompt } from "./call-meta.ts";
import { type LoadedPart, requestTextHash, sha256Hex } from "./message.ts";

export type PromptRequest = { system: string; parts: LoadedPart[]; textSha256: string };

type UserContent = Extract<SdkPrompt[number], { role: "user" }>["content"];
type FilePart = Extract<UserContent[number], { type: "file" }>;

function fileBytes(part: FilePart): Uint8Array {
  if (part.data instanceof Uint8Array) return part.data;
  if (typeof part.data === "string") return new Uint8Array(Buffer.from(part.data, "base64"));
  // toUserMessage only ever sends bytes; a URL here means a caller bypassed it.
  throw new Error(`model call with an image by URL (${part.data.toString()}): images are sent as bytes`);
}

/**
 * toUserMessage sends every image right after its label, as a text part: an image takes the text
 * part before it back as its label, the other text parts stay texts.
 */
function userParts(content: UserContent): LoadedPart[] {
  const parts: LoadedPart[] = [];
  for (const part of content) {
    if (part.type === "text") {
      parts.push({ type: "text", text: part.text });
      continue;
    }
    const label = parts.at(-1);
    if (label?.type === "text") parts.pop();
    const png = fileBytes(part);
    parts.push({
      type: "image",
      label: label?.type === "text" ? label.text : "",
      png,
      sha256: sha256Hex(png),
    });
  }
  return parts;
}

export function promptRequest(prompt: SdkPrompt): PromptRequest {
  const system: string[] = [];
  const parts: LoadedPart[] = [];
  for (const message of prompt) {
    if (message.role === "system") system.push(message.content);
    else if (message.role === "user") parts.push(...userParts(message.content));
    else throw new Error(`model call with a ${message.role} message: seig sends system and user only`);
  }
  const text = system.join("\n");
  return { system: text, parts, textSha256: requestTextHash(text, parts) };
}
