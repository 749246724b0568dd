/** Whether a file or folder exists (anything stat can see); never throws. */
import { stat } from "node:fs/promises";

export async function pathExists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}
