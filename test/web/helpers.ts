/** Shared by the web tests: a small generated photo and an SSE reader over fetch. */
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
