/**
 * What the queue tests run against: a real redis-server on a free loopback port (its own data
 * folder, append-only file on, so a stopped and restarted Redis keeps its jobs), and real `seig`
 * processes — workers and submitters — whose output the tests read and wait on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";

const SEIG = path.join(import.meta.dirname, "..", "bin", "seig.js");

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, "close");
  return port;
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(dir: string): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), dir);
    await server.restart();
    return server;
  }

  /** Starts redis-server (again) on the same port and data folder; resolves once it answers PING. */
  async restart(): Promise<void> {
    this.child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--dir",
        this.dir,
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      probe.on("error", () => {});
      const ok = await probe.connect().then(
        () => probe.ping().then(() => true),
        () => false,
      );
      probe.disconnect();
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM: Redis flushes its append-only file and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  }
}

/** A `seig` process whose output is kept, so a test can wait for a line. */
export class Seig {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, [SEIG, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    this.child.stdout!.on("data", (d) => {
      this.output += String(d);
    });
    this.child.stderr!.on("data", (d) => {
      this.output += String(d);
    });
    this.exited = once(this.child, "exit").then(([code]) => code as number | null);
  }

  /** Waits for `pattern` in the output written after character `from` (default: all of it). */
  async waitFor(pattern: RegExp, timeoutMs = 120_000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.slice(from).match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} in the output of seig ${this.child.spawnargs.slice(2).join(" ")}:\n${this.output}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Lines like "finished <id>" in a worker's log, as ids. */
  finished(): string[] {
    return [...this.output.matchAll(/: finished (\S+)/g)].map((m) => m[1]!);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}
