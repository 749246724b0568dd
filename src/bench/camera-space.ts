/**
 * A scene expressed in its own camera's frame. A single photo fixes a scene only up to
 * where the world's origin, axes and unit are, so ground truth and reconstruction are
 * compared after each is moved into the frame of the camera that took (or renders) its
 * image: x to the right of the image, y up, looking down −z (Blender's convention).
 */
import {
  absolute,
  apply,
  linearPart,
  type Mat3,
  multiply,
  type OrientedBox,
  transpose,
  type Vec3,
} from "./oriented-box.ts";

export interface SceneCamera {
  /** Object-to-world matrix, row-major 4×4. */
  matrixWorld: readonly number[];
  lensMm: number;
  /** Sensor width: the image width is fit to it (Blender's horizontal sensor fit). */
  sensorMm: number;
}

export interface CameraFrame {
  origin: Vec3;
  /** World → camera rotation. */
  rotation: Mat3;
  /** Focal length over sensor width: projected coordinates come out in image widths. */
  focal: number;
}

/** A camera-aligned box: centre and half extents along the camera's axes. */
export interface CameraBox {
  center: Vec3;
  half: Vec3;
}

export function cameraFrame(camera: SceneCamera): CameraFrame {
  const m = camera.matrixWorld;
  const axes = linearPart(m);
  // A scaled camera object still looks the same way: keep only its rotation.
  const norms = [0, 1, 2].map((c) => Math.hypot(axes[0][c], axes[1][c], axes[2][c]) || 1);
  const unit = axes.map((row) => row.map((v, c) => v / norms[c]!)) as Mat3;
  return {
    origin: [m[3]!, m[7]!, m[11]!],
    rotation: transpose(unit),
    focal: camera.lensMm / camera.sensorMm,
  };
}

export function pointInCamera(frame: CameraFrame, p: Vec3): Vec3 {
  return apply(frame.rotation, [p[0] - frame.origin[0], p[1] - frame.origin[1], p[2] - frame.origin[2]]);
}

/** The camera-aligned box around an object's oriented box. */
export function boxInCamera(frame: CameraFrame, box: OrientedBox): CameraBox {
  return {
    center: pointInCamera(frame, box.center),
    half: apply(absolute(multiply(frame.rotation, box.axes)), box.half),
  };
}

/** Distance in front of the camera along its viewing axis. */
export function depth(p: Vec3): number {
  return -p[2];
}

/** Image-plane position in image widths from the image centre (x right, y up); null behind the camera. */
export function project(frame: CameraFrame, p: Vec3): [number, number] | null {
  const d = depth(p);
  if (d <= 1e-9) return null;
  return [(frame.focal * p[0]) / d, (frame.focal * p[1]) / d];
}
