/**
 * The initial camera and the geometry of looking at a ground plane: a pinhole camera on
 * a sphere of fixed radius around the origin (one photo cannot tell scale, so the scene
 * is built at a table-top scale of about ten metres), pitched down so the horizon lands
 * where the image shows it, and rays from pixels back onto the ground z = 0.
 */
type Vec3 = [number, number, number];

export interface PinholeCamera {
  location: Vec3;
  lookAt: Vec3;
  lensMm: number;
  sensorMm: number;
  width: number;
  height: number;
}

export const CAMERA_DISTANCE = 11;
export const DEFAULT_LENS_MM = 35;
export const SENSOR_MM = 36;
/** Pitch when the ground fills the frame: the usual raised three-quarter view of objects on a table or floor. */
export const DEFAULT_PITCH_DEG = 30;

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3): Vec3 => {
  const l = Math.hypot(...a);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** Focal length in pixels (sensor fitted to the image width). */
export function focalPixels(cam: PinholeCamera): number {
  return (cam.lensMm / cam.sensorMm) * cam.width;
}

/** Pitch (degrees below level) that puts the horizon at `horizonRow`; the default when none is visible. */
export function pitchFromHorizon(
  horizonRow: number,
  width: number,
  height: number,
  lensMm = DEFAULT_LENS_MM,
): number {
  const f = (lensMm / SENSOR_MM) * width;
  const halfFov = (Math.atan(height / 2 / f) * 180) / Math.PI;
  if (horizonRow <= 0) return Math.max(DEFAULT_PITCH_DEG, halfFov + 5);
  const above = height / 2 - horizonRow;
  return Math.min(80, Math.max(3, (Math.atan(above / f) * 180) / Math.PI));
}

export function initialCamera(
  pitchDeg: number,
  width: number,
  height: number,
  lensMm = DEFAULT_LENS_MM,
): PinholeCamera {
  const p = (pitchDeg * Math.PI) / 180;
  return {
    location: [0, -CAMERA_DISTANCE * Math.cos(p), CAMERA_DISTANCE * Math.sin(p)],
    lookAt: [0, 0, 0],
    lensMm,
    sensorMm: SENSOR_MM,
    width,
    height,
  };
}

export function cameraBasis(cam: PinholeCamera): { forward: Vec3; right: Vec3; up: Vec3 } {
  const forward = norm(sub(cam.lookAt, cam.location));
  const right = norm(cross(forward, [0, 0, 1]));
  return { forward, right, up: cross(right, forward) };
}

/** Where the ray through pixel (px, py) meets the ground, or null above the horizon. */
export function groundPoint(cam: PinholeCamera, px: number, py: number): Vec3 | null {
  const { forward, right, up } = cameraBasis(cam);
  const f = focalPixels(cam);
  const x = (px + 0.5 - cam.width / 2) / f;
  const y = (cam.height / 2 - py - 0.5) / f;
  const d: Vec3 = [0, 1, 2].map((i) => forward[i]! + x * right[i]! + y * up[i]!) as Vec3;
  if (d[2] >= -1e-6) return null;
  const t = -cam.location[2] / d[2];
  return [cam.location[0] + t * d[0], cam.location[1] + t * d[1], 0];
}

/** The pixel (x, y, continuous, pixel centres at +0.5) a world point projects to, or null behind the camera. */
export function projectPoint(cam: PinholeCamera, point: Vec3): [number, number] | null {
  return projector(cam)(point);
}

/** projectPoint with the camera's basis worked out once, for projecting many points. */
export function projector(cam: PinholeCamera): (point: Vec3) => [number, number] | null {
  const { forward, right, up } = cameraBasis(cam);
  const f = focalPixels(cam);
  return (point) => {
    const v = sub(point, cam.location);
    const depth = v[0] * forward[0] + v[1] * forward[1] + v[2] * forward[2];
    if (depth <= 1e-6) return null;
    const x = (v[0] * right[0] + v[1] * right[1] + v[2] * right[2]) / depth;
    const y = (v[0] * up[0] + v[1] * up[1] + v[2] * up[2]) / depth;
    return [cam.width / 2 + x * f, cam.height / 2 - y * f];
  };
}

/** Distance along the view direction: pixel sizes scale as focal / depth. */
export function depthOf(cam: PinholeCamera, point: Vec3): number {
  const { forward } = cameraBasis(cam);
  const v = sub(point, cam.location);
  return v[0] * forward[0] + v[1] * forward[1] + v[2] * forward[2];
}

/** A bounded ground smaller than this (metres, at the 11 m camera distance) would be a sliver, not a surface. */
const MIN_SURFACE = 1;

/**
 * Edge length of the square ground, centred where the camera looks, whose far edge shows at
 * image row `edgeRow` (the boundary above that row's pixels); null when that row looks
 * above the ground or the square would be a sliver.
 */
export function boundedGroundSize(cam: PinholeCamera, edgeRow: number): number | null {
  const far = groundPoint(cam, cam.width / 2 - 0.5, edgeRow - 0.5);
  if (!far) return null;
  const { forward } = cameraBasis(cam);
  const level = Math.hypot(forward[0], forward[1]);
  if (level < 1e-6) return null;
  const ahead = ((far[0] - cam.lookAt[0]) * forward[0] + (far[1] - cam.lookAt[1]) * forward[1]) / level;
  return 2 * ahead >= MIN_SURFACE ? 2 * ahead : null;
}

/**
 * The pitch at which a square ground centred where the camera looks, sized so its far edge
 * shows at row `far` (boundedGroundSize), shows its near edge at row `near`: a table top's
 * two edges fix the camera when the table stands where the camera looks. Null when no pitch
 * between 5° and 85° comes within two rows.
 */
export function surfacePitch(
  far: number,
  near: number,
  width: number,
  height: number,
  lensMm: number,
): number | null {
  let best: { pitch: number; miss: number } | null = null;
  for (let pitch = 5; pitch <= 85; pitch += 0.5) {
    const cam = initialCamera(pitch, width, height, lensMm);
    const size = boundedGroundSize(cam, far);
    if (size === null) continue;
    const { forward } = cameraBasis(cam);
    const level = Math.hypot(forward[0], forward[1]);
    const edge = projectPoint(cam, [
      cam.lookAt[0] - (forward[0] / level) * (size / 2),
      cam.lookAt[1] - (forward[1] / level) * (size / 2),
      0,
    ]);
    if (!edge) continue;
    const miss = Math.abs(edge[1] - near);
    if (!best || miss < best.miss) best = { pitch, miss };
  }
  return best && best.miss <= 2 ? best.pitch : null;
}
