/**
 * What a model must know about the Blender it is writing for. Models were trained on code for
 * many Blender versions, and the Python API renamed things between 3.x and 4.x, so every prompt
 * names the running version and the differences that matter for scene programs.
 */

function majorMinor(version: string): { major: number; minor: number } | null {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function blenderApiNotes(version: string): string {
  const v = majorMinor(version);
  const lines = [
    `The program runs in Blender ${version || "(unknown version)"}, in the background (no UI, no bpy.ops that need a window).`,
  ];
  if (!v || v.major < 4) {
    lines.push(
      'Blender 3.x Principled BSDF inputs: "Base Color", "Metallic", "Roughness", "Specular", "Subsurface", "Transmission", "Emission", "Emission Strength", "Alpha".',
      'Do NOT use the 4.x names ("Specular IOR Level", "Subsurface Weight", "Emission Color", "Transmission Weight"): they raise KeyError here.',
      'mesh.use_auto_smooth exists in 3.x; EEVEE is "BLENDER_EEVEE".',
    );
  } else {
    lines.push(
      'Blender 4.x Principled BSDF renamed inputs: "Specular" → "Specular IOR Level", "Subsurface" → "Subsurface Weight", "Emission" → "Emission Color", "Transmission" → "Transmission Weight".',
      "Do NOT use the 3.x names: they raise KeyError here.",
    );
    if (v.major > 4 || v.minor >= 1)
      lines.push(
        "mesh.use_auto_smooth was removed in 4.1: use per-face smooth flags or a Smooth by Angle modifier.",
      );
    if (v.major > 4 || v.minor >= 2) lines.push('EEVEE is "BLENDER_EEVEE_NEXT" since 4.2.');
  }
  lines.push(
    "Allowed imports: bpy, bmesh, mathutils, math, random. No file access, no image textures (never load the photo), no os/sys/subprocess.",
  );
  return lines.join("\n");
}
