/** Where an edited program goes: never over its input unless asked, so no work is lost. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export function editedPath(input: string, suffix: string, out?: string): string {
  if (out) return out;
  const parsed = path.parse(input);
  return path.join(parsed.dir, `${parsed.name}.${suffix}${parsed.ext || ".py"}`);
}

/** Writes the program, creating its folder (`-o newdir/x.py`). */
export async function writeProgram(file: string, source: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, source, "utf8");
  console.log(file);
}
