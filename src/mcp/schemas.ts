/** zod shapes of the structured results several tools share. */
import { z } from "zod";
import { Fingerprint, ObjectStats } from "../blender/protocol.ts";

export const ImageFile = z.object({
  name: z.string(),
  path: z.string().describe("relative to the workspace root"),
  width: z.number().int(),
  height: z.number().int(),
});

export const ObjectSummary = ObjectStats.pick({
  name: true,
  type: true,
  location: true,
  bboxMin: true,
  bboxMax: true,
  materials: true,
  baseColor: true,
});

export const RenderOutput = {
  images: z.array(ImageFile),
  fingerprint: Fingerprint.nullable(),
  objects: z.array(ObjectSummary),
  render_seconds: z.number(),
  blender_version: z.string(),
};

export function summariseObjects(
  objects: readonly z.input<typeof ObjectStats>[],
): z.infer<typeof ObjectSummary>[] {
  return objects.map((o) => ObjectSummary.parse(o));
}
