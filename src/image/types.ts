/**
 * An image as seig computes with it: 3-channel RGB, interleaved, sRGB-encoded values in [0, 1].
 * Alpha never survives loading (it is composited over a background), so every metric and every
 * comparison works on the same kind of pixels.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, RGB interleaved, length = width × height × 3. */
  readonly data: Float32Array;
  /** Size of the decoded file after EXIF orientation, before any downscaling. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Where the pixels came from (a file path, or a label for in-memory images). */
  readonly source: string;
}

/** An RGB background colour, each channel in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** Builds an RgbImage from raw pixels, checking the buffer matches the size. */
export function rgbImage(
  width: number,
  height: number,
  data: Float32Array,
  source: string,
  original?: { width: number; height: number },
): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(
      `expected ${width * height * 3} RGB values for ${width}×${height}, got ${data.length}`,
    );
  }
  return {
    width,
    height,
    data,
    originalWidth: original?.width ?? width,
    originalHeight: original?.height ?? height,
    source,
  };
}
