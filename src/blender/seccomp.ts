/**
 * The sandbox's seccomp filter: compiled to BPF by python/seccomp_filter.py through the
 * system Python's libseccomp bindings (Debian: python3-seccomp), written once per pool
 * and handed to bwrap as a file descriptor (`--seccomp FD`).
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { SeigError } from "../errors.ts";
import { WORKER_SCRIPT_DIR } from "./worker-scripts.ts";

const run = promisify(execFile);
const GENERATOR = path.join(WORKER_SCRIPT_DIR, "seccomp_filter.py");
/** Debian's python3 first: a pyenv or venv python on PATH usually lacks the bindings. */
const PYTHONS = ["/usr/bin/python3", "python3"];

export async function compileSeccompFilter(): Promise<Buffer> {
  let reason = "";
  for (const python of PYTHONS) {
    try {
      const { stdout } = await run(python, [GENERATOR], { encoding: "buffer", timeout: 20_000 });
      // A BPF program is a sequence of 8-byte instructions.
      if (stdout.length > 0 && stdout.length % 8 === 0) return stdout;
      reason = `${python} wrote no filter`;
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      reason = (err.stderr?.toString() || err.message).trim().split("\n").pop() ?? "";
    }
  }
  throw new SeigError(
    `the sandbox's syscall filter could not be built (${reason}): install libseccomp's Python bindings (apt-get install -y python3-seccomp), or pass --unsafe-no-sandbox`,
  );
}

/** Writes the filter beside the pool's scripts; returns its path. */
export async function writeSeccompFilter(dir: string): Promise<string> {
  const file = path.join(dir, "seccomp.bpf");
  await writeFile(file, await compileSeccompFilter(), { mode: 0o644 });
  return file;
}
