/**
 * Prompt parts (text and labelled PNG images) and their conversion to an AI SDK user message.
 * Every image is preceded by its label ("Target photo:", "Current render:") so the model knows
 * which picture is which without relying on order.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { UserModelMessage } from "ai";
import { ImageError } from "../errors.ts";

export type Part = { type: "text"; text: string } | { type: "image"; label: string; path: string };

/** A part ready to send: images read into memory and hashed (the hash names them in traces). */
export type LoadedPart =
  | { type: "text"; text: string }
  | { type: "image"; label: string; png: Uint8Array; sha256: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function textPart(text: string): Part {
  return { type: "text", text };
}

export function imagePart(label: string, path: string): Part {
  return { type: "image", label, path };
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

async function readPng(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ImageError(
      `cannot read image ${path} (${(e as NodeJS.ErrnoException).code ?? "error"}): check the path`,
    );
  }
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ImageError(`${path} is not a PNG file: models are sent PNG renders and normalised photos only`);
  }
  return new Uint8Array(bytes);
}

export async function loadParts(parts: readonly Part[]): Promise<LoadedPart[]> {
  return Promise.all(
    parts.map(async (part): Promise<LoadedPart> => {
      if (part.type === "text") return part;
      const png = await readPng(part.path);
      return { type: "image", label: part.label, png, sha256: sha256Hex(png) };
    }),
  );
}

export function toUserMessage(parts: readonly LoadedPart[]): UserModelMessage {
  return {
    role: "user",
    content: parts.flatMap((part) =>
      part.type === "text"
        ? [{ type: "text" as const, text: part.text }]
        : [
            { type: "text" as const, text: part.label },
            { type: "image" as const, image: part.png, mediaType: "image/png" },
          ],
    ),
  };
}

/**
 * A hash of everything textual the model is asked (system prompt, texts, image labels), so a replay
 * can tell that the program asking has changed. Image bytes are left out on purpose: renders may
 * differ by a few bits across Blender builds while the conversation is the same.
 */
export function requestTextHash(system: string, parts: readonly (Part | LoadedPart)[]): string {
  const pieces = parts.map((p) => (p.type === "text" ? `text:${p.text}` : `image:${p.label}`));
  return sha256Hex(JSON.stringify([system, ...pieces]));
}
