/**
 * A run folder as one zip, streamed (yazl): every regular file inside the run, found by walking
 * the real folder — symlinks are skipped, so nothing outside the run can end up in the archive —
 * with paths relative to the run (`<id>/program.py`, …).
 */
import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { HttpError } from "./http-error.ts";
import { runDir } from "./run-files.ts";

async function filesUnder(root: string, rel = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, child)));
    else if (e.isFile()) out.push(child);
  }
  return out.sort();
}

/** The zip's files, relative to the run folder (also what the tests compare the archive to). */
export async function runZipEntries(runsDir: string, id: string): Promise<{ root: string; files: string[] }> {
  const root = await realpath(runDir(runsDir, id)).catch(() => {
    throw new HttpError(404, `no run ${id}`);
  });
  return { root, files: await filesUnder(root) };
}

export async function runZip(runsDir: string, id: string): Promise<Response> {
  const { root, files } = await runZipEntries(runsDir, id);
  const zip = new ZipFile();
  // yazl opens each file only when its turn comes, so a large run streams in constant memory.
  for (const f of files) zip.addFile(path.join(root, f), `${id}/${f.split(path.sep).join("/")}`);
  zip.end();
  return new Response(Readable.toWeb(zip.outputStream as Readable) as ReadableStream, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${id}.zip"`,
    },
  });
}
