import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageError } from "../src/errors.ts";
import { imagePart, loadParts, requestTextHash, textPart, toUserMessage } from "../src/vlm/message.ts";

let dir: string;
let png: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "seig-msg-"));
  png = join(dir, "a.png");
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
    .png()
    .toFile(png);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("messages", () => {
  it("puts each image's label right before it, as PNG bytes", async () => {
    const parts = await loadParts([textPart("Look."), imagePart("Current render:", png)]);
    const message = toUserMessage(parts);
    expect(message.role).toBe("user");
    const content = message.content as unknown as Array<Record<string, unknown>>;
    expect(content.map((c) => c["type"])).toEqual(["text", "text", "image"]);
    expect(content[1]).toEqual({ type: "text", text: "Current render:" });
    expect(content[2]!["mediaType"]).toBe("image/png");
    expect((content[2]!["image"] as Uint8Array).length).toBeGreaterThan(8);
  });

  it("refuses files that are missing or not PNG", async () => {
    const jpeg = join(dir, "b.jpg");
    await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toFile(jpeg);
    await expect(loadParts([imagePart("Target photo:", jpeg)])).rejects.toThrow(ImageError);
    await expect(loadParts([imagePart("Target photo:", jpeg)])).rejects.toThrow(/is not a PNG file/);
    await writeFile(join(dir, "empty.png"), "");
    await expect(loadParts([imagePart("x", join(dir, "empty.png"))])).rejects.toThrow(/is not a PNG file/);
    await expect(loadParts([imagePart("x", join(dir, "none.png"))])).rejects.toThrow(
      /cannot read image .*ENOENT/,
    );
  });

  it("hashes the request text, labels included, but not the image bytes", () => {
    const a = requestTextHash("sys", [textPart("t"), imagePart("Target photo:", "/x.png")]);
    expect(requestTextHash("sys", [textPart("t"), imagePart("Target photo:", "/elsewhere.png")])).toBe(a);
    expect(requestTextHash("sys", [textPart("t"), imagePart("Current render:", "/x.png")])).not.toBe(a);
    expect(requestTextHash("sys2", [textPart("t"), imagePart("Target photo:", "/x.png")])).not.toBe(a);
  });
});
