/** Camera placements around a scene, for new views of a reconstructed program. */
import type { CameraOverride, Fingerprint, ObjectStats, Vec3, ViewRequest } from "./protocol.ts";

const GROUND_NAMES = /^(ground|floor|plane|table_top|wall)/;

/**
 * Centre of what the scene is about: the bounding box of its objects, leaving out
 * cameras, lights and the ground or walls (large, flat planes would pull the centre away).
 */
export function sceneCentre(objects: ObjectStats[]): Vec3 {
  const solids = objects.filter((o) => o.type === "MESH" && !GROUND_NAMES.test(o.name) && !isFlat(o));
  const used = solids.length ? solids : objects.filter((o) => o.type === "MESH");
  if (!used.length) return [0, 0, 0];
  const lo = [0, 1, 2].map((i) => Math.min(...used.map((o) => o.bboxMin[i]!)));
  const hi = [0, 1, 2].map((i) => Math.max(...used.map((o) => o.bboxMax[i]!)));
  return [0, 1, 2].map((i) => (lo[i]! + hi[i]!) / 2) as Vec3;
}

function isFlat(o: ObjectStats): boolean {
  const extent = [0, 1, 2].map((i) => o.bboxMax[i]! - o.bboxMin[i]!);
  return Math.min(...extent) < 1e-3;
}

export interface OrbitOptions {
  /** Where the program's camera is; sets the orbit's distance, and its start azimuth and elevation. */
  camera: Vec3;
  centre: Vec3;
  count: number;
  /** Elevation in degrees; the program camera's own when omitted. */
  elevationDeg?: number;
}

/** `count` cameras evenly spaced in azimuth on a circle around the centre, all looking at it. */
export function orbitCameras({ camera, centre, count, elevationDeg }: OrbitOptions): CameraOverride[] {
  const offset = camera.map((v, i) => v - centre[i]!) as Vec3;
  const distance = Math.hypot(...offset);
  const startAzimuth = Math.atan2(offset[1], offset[0]);
  const elevation =
    elevationDeg === undefined ? Math.asin(offset[2] / distance) : (elevationDeg * Math.PI) / 180;
  return Array.from({ length: count }, (_, k) => {
    const azimuth = startAzimuth + (2 * Math.PI * k) / count;
    const location: Vec3 = [
      centre[0] + distance * Math.cos(elevation) * Math.cos(azimuth),
      centre[1] + distance * Math.cos(elevation) * Math.sin(azimuth),
      centre[2] + distance * Math.sin(elevation),
    ];
    return { location, lookAt: centre };
  });
}

/**
 * Named orbit views (orbit_00, orbit_01, …) of a built scene, from a pool reply's objects and
 * fingerprint; null when the scene sets no camera (there is then no distance to orbit at).
 * `skipOwn` leaves out the view at the program camera's own azimuth: `count` views spaced as
 * if there were count + 1, so none repeats the photo's viewpoint.
 */
export function orbitViewRequests(
  built: { objects: ObjectStats[]; fingerprint: Fingerprint | null },
  count: number,
  options: { elevationDeg?: number; skipOwn?: boolean } = {},
): ViewRequest[] | null {
  const camera = built.objects.find(
    (o) => o.type === "CAMERA" && o.name === built.fingerprint?.composition["scene.camera"],
  );
  if (!camera) return null;
  const cameras = orbitCameras({
    camera: camera.location,
    centre: sceneCentre(built.objects),
    count: options.skipOwn ? count + 1 : count,
    elevationDeg: options.elevationDeg,
  });
  return (options.skipOwn ? cameras.slice(1) : cameras).map((c, i) => ({
    name: `orbit_${String(i).padStart(2, "0")}`,
    camera: c,
  }));
}
