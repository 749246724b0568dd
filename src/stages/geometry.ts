/** Geometry: the shape and extent of every object (the `build_geometry` section). */
import type { StageDefinition } from "./stage.ts";

export const geometryStage: StageDefinition = {
  stage: "geometry",
  section: "build_geometry",
  roundBudget: 5,
  params: [
    { owner: "object", quantity: "size" },
    // The form of the PARAMS-driven shapes (src/program/scene-spec.ts): only objects of that shape have the key.
    { owner: "object", quantity: "exponents" },
    { owner: "object", quantity: "profile" },
    { owner: "object", quantity: "outline" },
    { owner: "ground", quantity: "size" },
  ],
  offline: {
    tunables: [
      // Sizes move within ±40 %: wider ranges let the search squash an object into a disc or a bar to hide a misplacement.
      { quantity: "size", owner: "object", range: { kind: "relative", min: 0.7, max: 1.4 } },
      // The whole range the scene spec allows: box, cylinder and ellipsoid are all one search away.
      { quantity: "exponents", owner: "object", range: { kind: "absolute", min: 0.1, max: 2.5 } },
      // Above 0 so the search cannot collapse a lathe to a needle; the widest ring keeps the size.
      { quantity: "profile", owner: "object", range: { kind: "absolute", min: 0.05, max: 1 } },
    ],
    moves: ["add", "remove", "shape"],
  },
  prompt: {
    goal: "every object of the scene graph exists, with the right primitive shape and the right size and proportions",
    edits:
      "the mesh of every object: which primitive approximates it, its dimensions, and added or removed objects (names from the scene graph). Do not move, rotate, colour or light anything.",
    checks: [
      "an object of the photo is missing, or the render has an object the photo does not",
      "an object has the wrong primitive (a box where the photo has a ball or a cylinder)",
      "an object is too large, too small, too tall, too flat or too thin relative to the others",
    ],
    ignore: "colours and materials, where objects stand, the camera, and the lighting",
    scope:
      "Your section may write meshes and object sizes: obj.dimensions or obj.scale on a mesh count as geometry as long as compose() does not set them. " +
      "Objects keep the location and rotation compose() gives them; if compose() derives a height from a size key you change (e.g. z = size / 2), the resting height that follows is allowed. " +
      "Do not write locations, rotations, materials, lights or the camera here.",
  },
};
