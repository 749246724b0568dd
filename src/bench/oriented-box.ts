/**
 * An object's own (oriented) bounding box, recovered from what Blender's scene stats
 * report: the object-to-world matrix and the world axis-aligned box of the mesh's local
 * bounding box. The world box alone changes when the whole world is rotated; the oriented
 * box does not, which is what lets two builds of one scene in differently rotated worlds be
 * compared.
 */
export type Vec3 = [number, number, number];
/** 3×3 matrix, `m[row][col]`. */
export type Mat3 = [Vec3, Vec3, Vec3];

export interface OrientedBox {
  center: Vec3;
  /** Linear part of the object-to-world matrix: columns are the object's scaled local axes. */
  axes: Mat3;
  /** Half extents of the mesh's local bounding box, in the object's local units. */
  half: Vec3;
}

/** Row-major 4×4 → its linear 3×3 part. */
export function linearPart(matrix: readonly number[]): Mat3 {
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => matrix[4 * r + c]!)) as Mat3;
}

export function transpose(m: Mat3): Mat3 {
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => m[c]![r]!)) as Mat3;
}

export function multiply(a: Mat3, b: Mat3): Mat3 {
  return [0, 1, 2].map((r) =>
    [0, 1, 2].map((c) => a[r]![0] * b[0]![c]! + a[r]![1] * b[1]![c]! + a[r]![2] * b[2]![c]!),
  ) as Mat3;
}

export function apply(m: Mat3, v: Vec3): Vec3 {
  return [0, 1, 2].map((r) => m[r]![0] * v[0] + m[r]![1] * v[1] + m[r]![2] * v[2]) as Vec3;
}

export function absolute(m: Mat3): Mat3 {
  return m.map((row) => row.map(Math.abs)) as Mat3;
}

const REFINEMENTS = 4;

/** Solves a symmetric positive-definite 3×3 system by Cramer's rule. */
function solveSymmetric(m: Mat3, b: Vec3): Vec3 {
  const det = (a: Mat3) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
    a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
    a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  return [0, 1, 2].map(
    (k) => det(m.map((row, r) => row.map((v, c) => (c === k ? b[r]! : v))) as Mat3) / d,
  ) as Vec3;
}

/**
 * The world box of a transformed box is centred on the transformed centre with half
 * extents |A|·h, so h solves |A|·h = H. |A| is singular for some poses (a yaw of exactly
 * 45° only fixes hx + hy), so the solve is regularised, then refined a few times to
 * remove the regularisation's bias where |A| is well conditioned: near a singular pose it
 * returns the smallest h that explains the world box (exact for square cross-sections)
 * instead of amplifying the stats' rounding.
 */
export function orientedBox(matrixWorld: readonly number[], bboxMin: Vec3, bboxMax: Vec3): OrientedBox {
  const axes = linearPart(matrixWorld);
  const center = [0, 1, 2].map((i) => (bboxMin[i]! + bboxMax[i]!) / 2) as Vec3;
  const halfWorld = [0, 1, 2].map((i) => (bboxMax[i]! - bboxMin[i]!) / 2) as Vec3;
  const b = absolute(axes);
  const bt = transpose(b);
  const normal = multiply(bt, b);
  const ridge = 1e-6 * (normal[0][0] + normal[1][1] + normal[2][2]) || 1e-12;
  const regularised = normal.map((row, r) => row.map((v, c) => (r === c ? v + ridge : v))) as Mat3;
  let half: Vec3 = [0, 0, 0];
  for (let step = 0; step < REFINEMENTS; step++) {
    const fitted = apply(b, half);
    const residual = halfWorld.map((v, i) => v - fitted[i]!) as Vec3;
    const update = solveSymmetric(regularised, apply(bt, residual));
    half = half.map((v, i) => v + update[i]!) as Vec3;
  }
  return { center, axes, half: half.map((v) => Math.max(0, v)) as Vec3 };
}

/** Volume of the box in world units (area when it is flat, so planes still compare). */
export function boxVolume(box: OrientedBox): number {
  const [x, y, z] = [0, 1, 2].map(
    (c) => 2 * box.half[c]! * Math.hypot(box.axes[0][c]!, box.axes[1][c]!, box.axes[2][c]!),
  ) as Vec3;
  return x * y * z || x * y + y * z + x * z;
}
