import { RawImage } from "@huggingface/transformers";
import { toUint8 } from "../image/pixels.ts";
import type { RgbImage } from "../image/types.ts";

/** seig image → transformers.js RawImage (8-bit RGB), the input its image processors take. */
export function toRawImage(img: RgbImage): RawImage {
  return new RawImage(toUint8(img.data), img.width, img.height, 3);
}
