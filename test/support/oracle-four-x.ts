/** The oracle's Blender 4.x names: scaffolds that set them, and repairs that fix only what an error quotes. */

/** Blender 4.x Principled BSDF input names and their 3.x names. */
export const FOUR_X_NAMES: Readonly<Record<string, string>> = {
  "Specular IOR Level": "Specular",
  "Emission Color": "Emission",
  "Subsurface Weight": "Subsurface",
  "Transmission Weight": "Transmission",
  "Coat Weight": "Clearcoat",
};

/** The scaffold's material section with the 4.x names set on the first object's material. */
export function withFourXNames(body: string, object: string): string {
  const lines = [
    `    bsdf = bpy.data.materials["${object}_mat"].node_tree.nodes["Principled BSDF"]`,
    // Emission is a colour in both versions; the others are factors.
    ...Object.keys(FOUR_X_NAMES).map(
      (name) =>
        `    bsdf.inputs["${name}"].default_value = ${name === "Emission Color" ? "(0.0, 0.0, 0.0, 1.0)" : "0.0"}`,
    ),
  ];
  return body.replace(
    /(def build_materials\(P\):\n(?: {4}.*\n)*)/,
    (section) => `${section}${lines.join("\n")}\n`,
  );
}

/** A repair as a model makes it: the names the error message quotes, renamed to the 3.x names. */
export function repairFourXNames(text: string): string | null {
  const program = /Your program:\n```python\n([\s\S]*?)```/.exec(text)?.[1];
  if (!program) return null;
  // Only the error report, not the prompt's notes (which list every 4.x name).
  const report = /(?:failed when run|was rejected before it ran):\n([\s\S]*?)\n\nYour program:/.exec(text);
  const problem = report?.[1] ?? "";
  return Object.entries(FOUR_X_NAMES).reduce(
    (code, [four, three]) => (problem.includes(four) ? code.replaceAll(`"${four}"`, `"${three}"`) : code),
    program,
  );
}
