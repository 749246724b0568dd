/** Lighting: sun, world and exposure (the `build_lighting` section). */
import type { StageDefinition } from "./stage.ts";

export const lightingStage: StageDefinition = {
  stage: "lighting",
  section: "build_lighting",
  roundBudget: 2,
  params: [
    { owner: "sun", quantity: "elevation_deg" },
    { owner: "sun", quantity: "azimuth_deg" },
    { owner: "sun", quantity: "strength" },
    { owner: "sun", quantity: "color" },
    { owner: "sun", quantity: "angle_deg" },
    { owner: "world", quantity: "color" },
    { owner: "world", quantity: "strength" },
    { owner: "render", quantity: "exposure" },
  ],
  offline: {
    tunables: [
      { quantity: "elevation_deg", owner: "sun", range: { kind: "absolute", min: 10, max: 85 } },
      { quantity: "azimuth_deg", owner: "sun", range: { kind: "delta", by: 180 } },
      { quantity: "strength", owner: "sun", range: { kind: "relative", min: 0.3, max: 3 } },
      { quantity: "strength", owner: "world", range: { kind: "relative", min: 0.3, max: 3 } },
      { quantity: "exposure", owner: "render", range: { kind: "absolute", min: -1.5, max: 1.5 } },
    ],
    moves: [],
  },
  prompt: {
    goal: "the light matches the photo: direction and softness of shadows, brightness, light and sky colour, exposure",
    edits:
      "lights (type, direction, strength, colour, size), the world background, and exposure. Do not change meshes, materials, transforms or the camera.",
    checks: [
      "shadows fall in another direction or are harder or softer than in the photo",
      "the render is brighter or darker overall than the photo",
      "the background or the light has another colour than in the photo",
    ],
    ignore: "shapes and sizes, colours of objects, and where objects and the camera are",
    scope:
      "Your section may write lights, the world background and exposure only. Do not write meshes, materials, transforms or the camera here.",
  },
};
