/**
 * The workspace root every path argument is confined to (`seig mcp --root`, default the current
 * folder). A path is refused when it is absolute outside the root, climbs out with `..`, or
 * reaches outside through a symlink: the check is made on the real path of the file, or of its
 * nearest existing parent for files still to be written.
 */
import { mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.ts";

/** A path argument that leaves the workspace root. */
export class OutsideRootError extends InputError {}

export class Workspace {
  private constructor(readonly root: string) {}

  static async open(root: string): Promise<Workspace> {
    const real = await realpath(root).catch(() => {
      throw new InputError(`--root ${root} does not exist`);
    });
    return new Workspace(real);
  }

  /** An existing file or folder inside the root, as its real path. */
  async existing(arg: string, what = "path"): Promise<string> {
    const lexical = this.lexical(arg, what);
    const real = await realpath(lexical).catch(() => {
      throw new InputError(`${what} ${arg} does not exist in the workspace ${this.root}`);
    });
    this.assertInside(real, arg, what);
    return real;
  }

  /** A file or folder to write inside the root; its parent folders are created. */
  async writable(arg: string, what = "output path"): Promise<string> {
    const lexical = this.lexical(arg, what);
    const parent = path.dirname(lexical);
    this.assertInside(await realpath(await this.nearestExisting(parent)), arg, what);
    await mkdir(parent, { recursive: true });
    // The parent now exists; resolve it again in case a symlink was raced in.
    const realParent = await realpath(parent);
    this.assertInside(realParent, arg, what);
    const target = path.join(realParent, path.basename(lexical));
    const realTarget = await realpath(target).catch(() => target);
    this.assertInside(realTarget, arg, what);
    return target;
  }

  /** Relative to the root when inside it, for short messages. */
  show(file: string): string {
    const rel = path.relative(this.root, file);
    return rel && !rel.startsWith("..") ? rel : file;
  }

  private lexical(arg: string, what: string): string {
    if (arg.includes("\0")) throw new OutsideRootError(`${what} ${JSON.stringify(arg)} is not a valid path`);
    if (arg.split(/[\\/]/).includes(".."))
      throw new OutsideRootError(
        `${what} ${arg} uses "..": paths must stay inside the workspace ${this.root}`,
      );
    const resolved = path.resolve(this.root, arg);
    this.assertInside(resolved, arg, what);
    return resolved;
  }

  private assertInside(file: string, arg: string, what: string): void {
    if (file !== this.root && !file.startsWith(this.root + path.sep))
      throw new OutsideRootError(
        `${what} ${arg} is outside the workspace ${this.root} (see seig mcp --root)`,
      );
  }

  private async nearestExisting(dir: string): Promise<string> {
    let current = dir;
    for (;;) {
      if (
        await realpath(current).then(
          () => true,
          () => false,
        )
      )
        return current;
      const up = path.dirname(current);
      if (up === current) return current;
      current = up;
    }
  }
}
