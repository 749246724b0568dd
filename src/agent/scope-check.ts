/**
 * Whether a stage candidate stayed in scope, judged the way the stage is meant: on what its own
 * section's code wrote (fingerprints after each section, so a write a later section overwrites is
 * still seen) and on the built scene, allowing what follows legitimately from the stage's change —
 * a geometry size change may move an object's resting height, and obj.scale/obj.dimensions on a
 * mesh are geometry while compose() does not set them. Each problem names the property, the
 * object, the stage that owns it, and how to make the change within scope.
 */
import { diffFingerprints, type FactorChange } from "../blender/fingerprint-diff.ts";
import type { Fingerprint, ObjectStats } from "../blender/protocol.ts";
import type { SceneProgram } from "../program/parse.ts";
import type { Stage } from "../stages/index.ts";
import type { Attempt } from "./execute.ts";

const HEIGHT_TOLERANCE = 1e-3;

interface Transform {
  pose: string;
  location: number[];
  scale: number[];
}

/** "hash|x,y,z|sx,sy,sz" (fingerprint.py), or null for cameras and older fingerprints. */
function transform(value: string | undefined): Transform | null {
  const parts = value?.split("|");
  if (parts?.length !== 3) return null;
  return {
    pose: parts[0]!,
    location: parts[1]!.split(",").map(Number),
    scale: parts[2]!.split(",").map(Number),
  };
}

const same = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v === b[i]);

/** Which property of a composition entry changed: location, rotation/parenting, scale. */
function changedProperties(before: string | undefined, after: string | undefined): string[] {
  const [a, b] = [transform(before), transform(after)];
  if (!a || !b) return ["transform"];
  return [
    ...(same(a.location, b.location) ? [] : ["location"]),
    ...(a.pose === b.pose ? [] : ["rotation or parent"]),
    ...(same(a.scale, b.scale) ? [] : ["scale"]),
  ];
}

export interface ScopeProblem {
  object: string;
  property: string;
  owner: Stage;
  /** Where the change came from: the stage's own code, or only the built scene. */
  where: "section" | "scene";
}

export interface ScopeInput {
  stage: Stage;
  base: Attempt;
  candidate: Attempt;
  /** The candidate program: its composition section says whether compose() sets scale. */
  program: SceneProgram;
}

function bottom(objects: readonly ObjectStats[], name: string): number | null {
  return objects.find((o) => o.name === name)?.bboxMin[2] ?? null;
}

/** Properties of one change, minus those that follow from the stage's own change. */
function problemsOf(
  change: FactorChange,
  before: Fingerprint,
  after: Fingerprint,
  input: ScopeInput,
): string[] {
  const { stage, program } = input;
  if (change.factor === stage) return [];
  // Adding or removing an object necessarily adds or removes its transform and material slots.
  if (stage === "geometry" && change.change !== "changed" && change.factor !== "lighting") return [];
  if (change.factor !== "composition" || change.change !== "changed") return [propertyOf(change)];
  let props = changedProperties(before.composition[change.key], after.composition[change.key]);
  if (stage === "geometry") {
    const composeSetsScale = /\.(scale|dimensions)\b/.test(program.sections.composition);
    if (!composeSetsScale) props = props.filter((p) => p !== "scale");
    const resized = before.geometry[change.key] !== after.geometry[change.key] || !composeSetsScale;
    if (props.includes("location") && resized && restsWhereItDid(change.key, before, after, input)) {
      props = props.filter((p) => p !== "location");
    }
  }
  return props;
}

/** Only the height moved, and the object's bottom stays on the same support. */
function restsWhereItDid(name: string, before: Fingerprint, after: Fingerprint, input: ScopeInput): boolean {
  const [a, b] = [transform(before.composition[name]), transform(after.composition[name])];
  if (!a || !b || a.location[0] !== b.location[0] || a.location[1] !== b.location[1]) return false;
  const [was, is] = [bottom(input.base.objects, name), bottom(input.candidate.objects, name)];
  return was !== null && is !== null && Math.abs(was - is) <= HEIGHT_TOLERANCE;
}

function propertyOf(change: FactorChange): string {
  if (change.factor === "geometry") return "mesh (shape or size)";
  if (change.factor === "material") return "material";
  if (change.factor === "lighting")
    return change.key === "world" ? "world" : change.key === "color_management" ? "exposure" : "light";
  return "transform";
}

function collect(
  changes: FactorChange[],
  before: Fingerprint,
  after: Fingerprint,
  input: ScopeInput,
  where: ScopeProblem["where"],
): ScopeProblem[] {
  return changes.flatMap((c) =>
    problemsOf(c, before, after, input).map((property) => ({
      object: c.key,
      property,
      owner: c.factor,
      where,
    })),
  );
}

/**
 * What the stage's own section wrote differently from the base: the scene right after that section
 * ran, candidate against base. Everything before it ran the same code, so the difference is the
 * section's doing, including writes a later section overwrites.
 */
function afterSection(attempt: Attempt, stage: Stage): Fingerprint | null {
  return attempt.sections?.[stage] ?? null;
}

export function scopeProblems(input: ScopeInput): ScopeProblem[] {
  const { base, candidate, stage } = input;
  const scene = collect(
    diffFingerprints(base.fingerprint, candidate.fingerprint),
    base.fingerprint,
    candidate.fingerprint,
    input,
    "scene",
  );
  const [was, is] = [afterSection(base, stage), afterSection(candidate, stage)];
  if (!was || !is) return scene;
  const own = collect(diffFingerprints(was, is), was, is, input, "section");
  const seen = new Set(own.map((p) => `${p.object}/${p.property}`));
  return [...own, ...scene.filter((p) => !seen.has(`${p.object}/${p.property}`))];
}
