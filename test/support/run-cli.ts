/** Runs the real `seig` command line as a child process, as a user would. */
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/seig.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runSeig(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile("node", [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

export interface LiveSeig {
  child: ReturnType<typeof spawn>;
  /** Resolves with the first `--json` progress event `match` accepts (rejects if the process ends first). */
  waitForEvent: (match: (event: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or 128 + signal number's conventional code for a kill). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `seig` without waiting, to watch its `--json` progress and signal it mid-run. */
export function startSeig(args: string[]): LiveSeig {
  const child = spawn("node", [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  const waiters: {
    match: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  let buffer = "";
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      for (const w of waiters.splice(0)) {
        if (w.match(event)) w.resolve(event);
        else waiters.push(w);
      }
    }
  });
  const waitForEvent = (match: (e: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.push({ match, resolve });
      void exited.then((e) =>
        reject(new Error(`seig ended (${e.code ?? e.signal}) before the event: ${e.stderr}`)),
      );
    });
  return { child, waitForEvent, exited };
}

/**
 * The same command line run inside the test process (no Node start-up per call), for checks
 * that only need the exit code and what was printed. Output is captured, not shown.
 */
export async function seigInProcess(args: string[]): Promise<CliResult> {
  const { main } = await import("../../src/cli/main.ts");
  const captured = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => {
      captured[stream] += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const code = await main(["node", "seig", ...args]);
    return { code, ...captured };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}
