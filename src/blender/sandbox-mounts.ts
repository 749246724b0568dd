/**
 * What a sandboxed worker sees of the host: Blender's own files, the system libraries
 * (and Python packages) it loads, a few /etc files the dynamic loader needs, the staged
 * worker scripts — all read-only — and nothing else. No home folders, no project, no run
 * folders, no photo, no /run or /var (so no host unix sockets), no /etc/passwd.
 * The writable places are sized tmpfs mounts private to the sandbox (see sandbox.ts).
 */
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { realpath } from "node:fs/promises";
import path from "node:path";

/** Library trees; on merged-/usr systems /lib* are symlinks into them. */
const LIBRARY_DIRS = ["/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32"];
const TOP_LEVEL_LINKS = ["/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin"];
/** The loader's cache, and Debian's alternatives (numpy's BLAS is reached through them). */
const ETC_ENTRIES = ["/etc/ld.so.cache", "/etc/alternatives"];
/** Folders that hold many programs: a Blender installed there is mounted alone, not its folder. */
const SHARED_BIN_DIRS = new Set(["/usr/bin", "/usr/local/bin", "/bin", "/usr/games", "/snap/bin"]);

function roBind(source: string, dest = source): string[] {
  return ["--ro-bind", source, dest];
}

function systemLibraries(): string[] {
  const args: string[] = [];
  for (const dir of LIBRARY_DIRS) if (existsSync(dir)) args.push(...roBind(dir));
  for (const link of TOP_LEVEL_LINKS) {
    const info = lstatSync(link, { throwIfNoEntry: false });
    if (info?.isSymbolicLink()) args.push("--symlink", readlinkSync(link), link);
    // Not merged /usr: the real /lib and /lib64 hold the loader and libc; /bin is not needed.
    else if (info?.isDirectory() && link.startsWith("/lib")) args.push(...roBind(link));
  }
  for (const entry of ETC_ENTRIES) if (existsSync(entry)) args.push(...roBind(entry));
  return args;
}

/**
 * Blender itself: a distribution's binary alone plus its data folder (<prefix>/share/blender),
 * or the whole folder of a self-contained build (blender.org tarballs carry their own
 * Python and libraries beside the binary).
 */
export function blenderMounts(blenderRealPath: string): string[] {
  const dir = path.dirname(blenderRealPath);
  if (!SHARED_BIN_DIRS.has(dir)) return roBind(dir);
  const share = path.join(path.dirname(dir), "share", "blender");
  return [...roBind(blenderRealPath), ...(existsSync(share) ? roBind(share) : [])];
}

export function readOnlyMounts(blenderRealPath: string, scriptsDir: string, scriptsMount: string): string[] {
  return [...systemLibraries(), ...blenderMounts(blenderRealPath), ...roBind(scriptsDir, scriptsMount)];
}

/** The folders a worker sees Blender's own files in (for judging its mounts). */
export async function blenderDirs(blenderPath: string): Promise<string[]> {
  const real = await realpath(blenderPath);
  const dir = path.dirname(real);
  if (!SHARED_BIN_DIRS.has(dir)) return [dir];
  return [real, path.join(path.dirname(dir), "share", "blender")];
}
