/**
 * Conversions between seig's float pixels and the integer buffers sharp reads and writes.
 * 8-bit sources are divided by 255 and 16-bit sources by 65535, so loaded values equal the
 * file's code values exactly (what scikit-image's img_as_float gives), not a rescaled guess.
 */

/** Float [0, 1] → 8-bit code values, rounded and clamped. */
export function toUint8(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(clamp01(data[i]!) * 255);
  return out;
}

/** Float [0, 1] → 16-bit code values, rounded and clamped (keeps resampling nearly lossless). */
export function toUint16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(clamp01(data[i]!) * 65535);
  return out;
}

/** Integer code values in a Node buffer (uchar or little-endian ushort, as sharp emits) → float [0, 1]. */
export function fromCodeValues(buffer: Buffer, depth: "uchar" | "ushort"): Float32Array {
  if (depth === "uchar") {
    const out = new Float32Array(buffer.length);
    for (let i = 0; i < buffer.length; i++) out[i] = buffer[i]! / 255;
    return out;
  }
  const count = buffer.length / 2;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = buffer.readUInt16LE(i * 2) / 65535;
  return out;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : Number.isNaN(v) ? 0 : v;
}
