import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageError } from "../src/errors.ts";
import { imageFromBuffer, loadImage } from "../src/image/load.ts";
import { resizeTo } from "../src/image/resize.ts";
import { saveImage } from "../src/image/save.ts";
import { rgbImage } from "../src/image/types.ts";

let dir: string;
const at = (name: string) => path.join(dir, name);

/** RGB pixel i of an image, as numbers. */
function pixel(img: { data: Float32Array; width: number }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 3;
  return Array.from(img.data.subarray(i, i + 3));
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([head, typed, crc]);
}

/** A PNG whose header claims width × height but whose data is a few bytes. */
function hugeHeaderPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A 6×4 image whose left half is red and right half blue, for orientation checks. */
function halves(): Promise<Buffer> {
  const raw = Buffer.alloc(6 * 4 * 3);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 6; x++) raw.set(x < 3 ? [255, 0, 0] : [0, 0, 255], (y * 6 + x) * 3);
  }
  return sharp(raw, { raw: { width: 6, height: 4, channels: 3 } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "seig-image-"));
  const solid = (r: number, g: number, b: number, w = 8, h = 6) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });
  await solid(100, 100, 100).toColourspace("b-w").jpeg({ quality: 100 }).toFile(at("gray.jpg"));
  const sixteen = new Uint16Array([1000, 30000, 65535, 0, 12345, 54321]);
  await sharp(sixteen, { raw: { width: 2, height: 1, channels: 3 } })
    .toColourspace("rgb16")
    .png()
    .toFile(at("deep.png"));
  await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toFile(at("clear.png"));
  await sharp(await halves())
    .jpeg({ quality: 100 })
    .withMetadata({ orientation: 6 })
    .toFile(at("rotated.jpg"));
  await solid(10, 200, 30).gif().toFile(at("frame.gif"));
  await solid(40, 80, 160).webp({ lossless: true }).toFile(at("lossless.webp"));
  await solid(250, 5, 128).tiff({ compression: "lzw" }).toFile(at("plain.tiff"));
  await solid(12, 34, 56, 1200, 600).png().toFile(at("wide.png"));
  const png = await sharp({
    create: {
      width: 64,
      height: 64,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  await writeFile(at("cut.png"), png.subarray(0, Math.floor(png.length / 2)));
  const jpeg = await sharp(png).jpeg().toBuffer();
  await writeFile(at("cut.jpg"), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  await writeFile(at("notes.png"), "these are notes, not pixels\n");
  await writeFile(at("huge.png"), hugeHeaderPng(20000, 20000));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadImage", () => {
  it("expands grayscale to three equal channels with exact 8-bit values", async () => {
    const img = await loadImage(at("gray.jpg"));
    expect([img.width, img.height]).toEqual([8, 6]);
    expect(img.data.length).toBe(8 * 6 * 3);
    const [r, g, b] = pixel(img, 3, 2);
    expect(r).toBeCloseTo(100 / 255, 2);
    expect(g).toBe(r);
    expect(b).toBe(r);
  });

  it("reads 16-bit PNG values as code/65535, not code/255", async () => {
    const img = await loadImage(at("deep.png"));
    expect(pixel(img, 0, 0)).toEqual([1000 / 65535, 30000 / 65535, 1].map(Math.fround));
    expect(pixel(img, 1, 0)).toEqual([0, 12345 / 65535, 54321 / 65535].map(Math.fround));
  });

  it("composites transparency over white by default and over a chosen background", async () => {
    expect(pixel(await loadImage(at("clear.png")), 1, 1)).toEqual([1, 1, 1]);
    const onBlack = await loadImage(at("clear.png"), { background: [0, 0, 0] });
    expect(pixel(onBlack, 1, 1)).toEqual([0, 0, 0]);
  });

  it("applies EXIF orientation and records the oriented size", async () => {
    const img = await loadImage(at("rotated.jpg"));
    // Orientation 6 = rotate 90° clockwise: 6×4 becomes 4×6, the red left half goes to the top.
    expect([img.width, img.height, img.originalWidth, img.originalHeight]).toEqual([4, 6, 4, 6]);
    expect(pixel(img, 1, 0)[0]).toBeGreaterThan(0.9);
    expect(pixel(img, 1, 0)[2]).toBeLessThan(0.1);
    expect(pixel(img, 1, 5)[2]).toBeGreaterThan(0.9);
  });

  it("reads GIF, lossless WebP and TIFF as RGB", async () => {
    expect(pixel(await loadImage(at("frame.gif")), 0, 0)).toEqual(
      [10 / 255, 200 / 255, 30 / 255].map(Math.fround),
    );
    expect(pixel(await loadImage(at("lossless.webp")), 2, 2)).toEqual(
      [40 / 255, 80 / 255, 160 / 255].map(Math.fround),
    );
    expect(pixel(await loadImage(at("plain.tiff")), 7, 5)).toEqual(
      [250 / 255, 5 / 255, 128 / 255].map(Math.fround),
    );
  });

  it("caps the longer side, keeps the aspect ratio and records the original size", async () => {
    const img = await loadImage(at("wide.png"), { maxSide: 300 });
    expect([img.width, img.height, img.originalWidth, img.originalHeight]).toEqual([300, 150, 1200, 600]);
    expect(pixel(img, 150, 75)[0]).toBeCloseTo(12 / 255, 3);
    const full = await loadImage(at("wide.png"), { maxSide: 0 });
    expect([full.width, full.height]).toEqual([1200, 600]);
    const small = await loadImage(at("gray.jpg"), { maxSide: 512 });
    expect([small.width, small.height]).toEqual([8, 6]);
  });

  it("names a missing file", async () => {
    await expect(loadImage(at("absent.png"))).rejects.toThrow(ImageError);
    await expect(loadImage(at("absent.png"))).rejects.toThrow(/Image not found: .*absent\.png/);
  });

  it("refuses a text file with an image name", async () => {
    await expect(loadImage(at("notes.png"))).rejects.toThrow(/notes\.png is not an image/);
  });

  it("refuses truncated PNG and JPEG files", async () => {
    for (const name of ["cut.png", "cut.jpg"]) {
      const err = await loadImage(at(name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect((err as Error).message).toContain(name);
      expect((err as Error).message).not.toContain("\n");
    }
  });

  it("refuses an absurd size from the header alone, fast", async () => {
    const started = performance.now();
    const err = await loadImage(at("huge.png")).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as Error).message).toMatch(
      /huge\.png is 20000×20000 \(400 megapixels\), over the 100 megapixel limit/,
    );
  });

  it("decodes from a buffer under a given name", async () => {
    const img = await imageFromBuffer(await readFile(at("plain.tiff")), "in-memory.tiff");
    expect(img.source).toBe("in-memory.tiff");
    expect([img.width, img.height]).toEqual([8, 6]);
  });
});

describe("resizeTo and saveImage", () => {
  it("resamples to an exact size and keeps flat colour", async () => {
    const data = new Float32Array(10 * 4 * 3).fill(0.25);
    const img = rgbImage(10, 4, data, "flat");
    const out = await resizeTo(img, 7, 9);
    expect([out.width, out.height]).toEqual([7, 9]);
    for (const v of out.data) expect(Math.abs(v - 0.25)).toBeLessThan(3e-4);
    expect(await resizeTo(img, 10, 4)).toBe(img);
  });

  it("round-trips through an 8-bit PNG", async () => {
    const data = new Float32Array([0, 0.5, 1, 1, 0.2, 0.8]);
    await saveImage(rgbImage(2, 1, data, "pair"), at("out/pair.png"));
    const back = await loadImage(at("out/pair.png"));
    expect(Array.from(back.data)).toEqual([0, 128 / 255, 1, 1, 51 / 255, 204 / 255].map(Math.fround));
  });
});
