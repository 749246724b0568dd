import { access, readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { z } from "zod";
import { oneLine, SeigError } from "../errors.ts";
import type { RgbImage } from "../image/types.ts";

/**
 * LPIPS v0.1 (Zhang et al. 2018) run from an ONNX export that takes two ImageNet-normalised RGB
 * tensors `ref` and `dist` of shape [1, 3, H, W] and returns the distance `score` (lower = closer).
 */
export type LpipsBackbone = "squeeze" | "alex" | "vgg";

/**
 * Smallest image side each backbone's feature pyramid survives. Below it onnxruntime does not
 * fail cleanly: the SqueezeNet export kills the process with SIGFPE at 16 px (measured), so sizes
 * are checked before running. AlexNet and VGG values follow from their strides and pools.
 */
export const LPIPS_MIN_SIDE: Record<LpipsBackbone, number> = { squeeze: 17, alex: 31, vgg: 16 };

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** Optional sidecar `<model>.json` describing the export (names of inputs/outputs, a model name). */
const Sidecar = z
  .object({
    name: z.string().optional(),
    notes: z.string().optional(),
    input_name: z.string().optional(),
    output_name: z.string().optional(),
  })
  .loose();

export class LpipsModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly modelPath: string,
    readonly backbone: LpipsBackbone,
    private readonly outputName: string,
  ) {}

  /** Opens the model; throws SeigError with a one-line reason when it cannot be used. */
  static async load(modelPath: string): Promise<LpipsModel> {
    const file = path.resolve(modelPath);
    try {
      await access(file);
    } catch {
      throw new SeigError(`LPIPS model not found at ${file} — set SEIG_LPIPS_MODEL or pass a model path.`);
    }
    const sidecar = await readSidecar(file);
    const backbone = backboneOf(file, sidecar);
    if (!backbone) {
      throw new SeigError(
        `cannot tell the LPIPS backbone of ${path.basename(file)} — name it lpips_<squeeze|alex|vgg>.onnx or add a .json sidecar naming it.`,
      );
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(file);
    } catch (e) {
      throw new SeigError(`cannot open LPIPS model ${file}: ${oneLine(e)}`);
    }
    const missing = ["ref", "dist"].filter((n) => !session.inputNames.includes(n));
    const outputName = sidecar?.output_name ?? session.outputNames[0];
    if (missing.length > 0 || !outputName || !session.outputNames.includes(outputName)) {
      await session.release();
      throw new SeigError(
        `LPIPS model ${path.basename(file)} must take inputs "ref" and "dist" and give one output; it has inputs [${session.inputNames.join(", ")}].`,
      );
    }
    return new LpipsModel(session, file, backbone, outputName);
  }

  /** LPIPS distance between two images of the same size. */
  async score(ref: RgbImage, dist: RgbImage): Promise<number> {
    if (ref.width !== dist.width || ref.height !== dist.height) {
      throw new RangeError(
        `LPIPS needs images of one size, got ${ref.width}×${ref.height} and ${dist.width}×${dist.height}`,
      );
    }
    const min = LPIPS_MIN_SIDE[this.backbone];
    if (ref.width < min || ref.height < min) {
      throw new RangeError(
        `LPIPS-${this.backbone} needs images at least ${min}×${min}, got ${ref.width}×${ref.height}`,
      );
    }
    const shape = [1, 3, ref.height, ref.width];
    const result = await this.session.run({
      ref: new ort.Tensor("float32", toLpipsInput(ref), shape),
      dist: new ort.Tensor("float32", toLpipsInput(dist), shape),
    });
    const value = result[this.outputName]!.data as Float32Array;
    return value[0]!;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** NCHW planes of (x − ImageNet mean) / ImageNet std, the input this LPIPS export expects. */
export function toLpipsInput(img: RgbImage): Float32Array {
  const plane = img.width * img.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      out[c * plane + i] = (img.data[i * 3 + c]! - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    }
  }
  return out;
}

async function readSidecar(modelFile: string): Promise<z.infer<typeof Sidecar> | undefined> {
  const file = modelFile.replace(/\.onnx$/i, ".json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SeigError(`LPIPS sidecar ${file} is not valid JSON: ${oneLine(e)} — fix or remove it.`);
  }
  const parsed = Sidecar.safeParse(json);
  if (!parsed.success) throw new SeigError(`LPIPS sidecar ${file} is not valid: ${oneLine(parsed.error)}`);
  return parsed.data;
}

/** The backbone named by the sidecar or, failing that, the file name. */
export function backboneOf(
  modelFile: string,
  sidecar?: { name?: string; notes?: string },
): LpipsBackbone | undefined {
  for (const text of [sidecar?.name, sidecar?.notes, path.basename(modelFile)]) {
    const m = /(squeeze|alex|vgg)/i.exec(text ?? "");
    if (m) return m[1]!.toLowerCase() as LpipsBackbone;
  }
  return undefined;
}
