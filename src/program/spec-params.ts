/**
 * The PARAMS of a scene spec, in program order: by stage, and within a stage every object's
 * quantities in the order its stage file declares them, then the named things (ground,
 * camera, sun, world, render). Which stage a quantity belongs to is read from the stage
 * files (src/stages/<stage>.ts), not restated here.
 */
import { type ParamOwner, STAGE_DEFINITIONS, STAGES } from "../stages/index.ts";
import type { Params, ParamValue } from "./parse.ts";
import type { SceneSpec } from "./scene-spec.ts";

/** Every value a spec sets, by PARAMS key, in no particular order. */
function specValues(spec: SceneSpec): Map<string, ParamValue> {
  const v = new Map<string, ParamValue>();
  for (const o of spec.objects) {
    v.set(`${o.name}.size`, [...o.size]);
    if (o.exponents) v.set(`${o.name}.exponents`, [...o.exponents]);
    if (o.profile) v.set(`${o.name}.profile`, [...o.profile]);
    if (o.outline)
      v.set(
        `${o.name}.outline`,
        o.outline.map((point) => [...point]),
      );
    v.set(`${o.name}.color`, [...o.color]);
    v.set(`${o.name}.roughness`, o.roughness);
    v.set(`${o.name}.metallic`, o.metallic);
    v.set(`${o.name}.location`, [...o.location]);
    v.set(`${o.name}.rotation_deg`, [...o.rotationDeg]);
  }
  if (spec.ground) {
    v.set("ground.size", spec.ground.size);
    v.set("ground.color", [...spec.ground.color]);
    v.set("ground.roughness", spec.ground.roughness);
  }
  const { camera, sun, world } = spec;
  v.set("camera.location", [...camera.location]);
  v.set("camera.look_at", [...camera.lookAt]);
  v.set("camera.lens_mm", camera.lensMm);
  v.set("camera.sensor_mm", camera.sensorMm);
  v.set("sun.elevation_deg", sun.elevationDeg);
  v.set("sun.azimuth_deg", sun.azimuthDeg);
  v.set("sun.strength", sun.strength);
  v.set("sun.color", [...sun.color]);
  v.set("sun.angle_deg", sun.angleDeg);
  v.set("world.color", [...world.color]);
  v.set("world.strength", world.strength);
  v.set("render.exposure", spec.exposure);
  return v;
}

function keysOf(spec: SceneSpec, owner: ParamOwner, quantities: readonly string[]): string[] {
  if (owner !== "object") return quantities.map((q) => `${owner}.${q}`);
  return spec.objects.flatMap((o) => quantities.map((q) => `${o.name}.${q}`));
}

/** The spec's PARAMS, grouped by stage in program order. */
export function specParams(spec: SceneSpec): Params {
  const values = specValues(spec);
  const params: Params = {};
  for (const stage of STAGES) {
    const owned = STAGE_DEFINITIONS[stage].params;
    const owners = [...new Set(owned.map((p) => p.owner))];
    for (const owner of owners) {
      const quantities = owned.filter((p) => p.owner === owner).map((p) => p.quantity);
      for (const key of keysOf(spec, owner, quantities)) {
        const value = values.get(key);
        if (value === undefined) continue;
        params[key] = value;
        values.delete(key);
      }
    }
  }
  // A quantity no stage declares would be emitted but owned by no stage's search or prompt.
  if (values.size > 0) throw new Error(`no stage declares PARAMS ${[...values.keys()].join(", ")}`);
  return params;
}
